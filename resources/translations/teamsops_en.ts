<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>CloneDialog</name>
    <message numerus="yes">
        <source>%n team(s) you belong to; or paste any team&apos;s id or URL.</source>
        <translation>
            <numerusform>%n team you belong to; or paste any team&apos;s id or URL.</numerusform>
            <numerusform>%n teams you belong to; or paste any team&apos;s id or URL.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>
…and %n more like it</source>
        <translation>
            <numerusform>
…and %n more like it</numerusform>
            <numerusform>
…and %n more like it</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DetailsPane</name>
    <message numerus="yes">
        <source>%n poll(s)</source>
        <translation>
            <numerusform>%n poll</numerusform>
            <numerusform>%n polls</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n operation(s)</source>
        <translation>
            <numerusform>%n operation</numerusform>
            <numerusform>%n operations</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OperationActions</name>
    <message numerus="yes">
        <source>Forgot %n operation(s)</source>
        <translation>
            <numerusform>Forgot %n operation</numerusform>
            <numerusform>Forgot %n operations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s)</source>
        <translation>
            <numerusform>%n operation</numerusform>
            <numerusform>%n operations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped watching %n operation(s)</source>
        <translation>
            <numerusform>Stopped watching %n operation</numerusform>
            <numerusform>Stopped watching %n operations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resumed or stopped watching %n operation(s)</source>
        <translation>
            <numerusform>Resumed or stopped watching %n operation</numerusform>
            <numerusform>Resumed or stopped watching %n operations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Undone: %n operation(s) back</source>
        <translation>
            <numerusform>Undone: %n operation back</numerusform>
            <numerusform>Undone: %n operations back</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PollPlanner</name>
    <message numerus="yes">
        <source>%n team(s) polled more slowly</source>
        <translation>
            <numerusform>%n team polled more slowly</numerusform>
            <numerusform>%n teams polled more slowly</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SharedStoreDialog</name>
    <message numerus="yes">
        <source>connected; the store holds %n operation(s).</source>
        <translation>
            <numerusform>connected; the store holds %n operation.</numerusform>
            <numerusform>connected; the store holds %n operations.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StartController</name>
    <message numerus="yes">
        <source>Graph is throttling: the request goes out again in %n second(s)</source>
        <translation>
            <numerusform>Graph is throttling: the request goes out again in %n second</numerusform>
            <numerusform>Graph is throttling: the request goes out again in %n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Archive %n team(s)?</source>
        <translation>
            <numerusform>Archive this team?</numerusform>
            <numerusform>Archive these %n teams?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Unarchive %n team(s)?</source>
        <translation>
            <numerusform>Unarchive this team?</numerusform>
            <numerusform>Unarchive these %n teams?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%n request(s) refused&lt;/b&gt;:</source>
        <translation>
            <numerusform>&lt;b&gt;%n request refused&lt;/b&gt;:</numerusform>
            <numerusform>&lt;b&gt;%n requests refused&lt;/b&gt;:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StartResolver</name>
    <message numerus="yes">
        <source>%n operation(s) of the team could be this one; none names its team yet</source>
        <translation>
            <numerusform>%n operation of the team could be this one; it does not name its team yet</numerusform>
            <numerusform>%n operations of the team could be this one; none names its team yet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>not started: Graph shows no sign of it after %n look(s); it may be sent again</source>
        <translation>
            <numerusform>not started: Graph shows no sign of it after %n look; it may be sent again</numerusform>
            <numerusform>not started: Graph shows no sign of it after %n looks; it may be sent again</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>not found at Graph yet (%n look(s)); it may still show up</source>
        <translation>
            <numerusform>not found at Graph yet (%n look); it may still show up</numerusform>
            <numerusform>not found at Graph yet (%n looks); it may still show up</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n clone(s) of the template started then and name no team yet; waiting for their names rather than sending a second clone</source>
        <translation>
            <numerusform>a clone of the template started then and names no team yet; waiting for its name rather than sending a second clone</numerusform>
            <numerusform>%n clones of the template started then and name no team yet; waiting for their names rather than sending a second clone</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StoreCommands</name>
    <message numerus="yes">
        <source>forgot %n operation(s)</source>
        <translation>
            <numerusform>forgot %n operation</numerusform>
            <numerusform>forgot %n operations</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StoreController</name>
    <message numerus="yes">
        <source>%n operation(s) added</source>
        <translation>
            <numerusform>%n operation added</numerusform>
            <numerusform>%n operations added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n finished operation(s) forgotten</source>
        <translation>
            <numerusform>%n finished operation forgotten</numerusform>
            <numerusform>%n finished operations forgotten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TimelineWidget</name>
    <message numerus="yes">
        <source>%n attempt(s)</source>
        <translation>
            <numerusform>%n attempt</numerusform>
            <numerusform>%n attempts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UnansweredStarts</name>
    <message numerus="yes">
        <source>%n clone(s) of the interrupted bulk will not be sent</source>
        <translation>
            <numerusform>%n clone of the interrupted bulk will not be sent</numerusform>
            <numerusform>%n clones of the interrupted bulk will not be sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Looking at Graph for %n start request(s) that had no answer…</source>
        <translation>
            <numerusform>Looking at Graph for %n start request that had no answer…</numerusform>
            <numerusform>Looking at Graph for %n start requests that had no answer…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%n start request(s) did not start&lt;/b&gt; (sent, unanswered, and Graph shows no sign of them):</source>
        <translation>
            <numerusform>&lt;b&gt;%n start request did not start&lt;/b&gt; (sent, unanswered, and Graph shows no sign of it):</numerusform>
            <numerusform>&lt;b&gt;%n start requests did not start&lt;/b&gt; (sent, unanswered, and Graph shows no sign of them):</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%n start request(s) may or may not have started&lt;/b&gt;; look at the team&apos;s operations before sending again:</source>
        <translation>
            <numerusform>&lt;b&gt;%n start request may or may not have started&lt;/b&gt;; look at the team&apos;s operations before sending it again:</numerusform>
            <numerusform>&lt;b&gt;%n start requests may or may not have started&lt;/b&gt;; look at the team&apos;s operations before sending them again:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WatchSession</name>
    <message numerus="yes">
        <source>note: resuming %n unfinished operation(s) from %1</source>
        <translation>
            <numerusform>note: resuming %n unfinished operation from %1</numerusform>
            <numerusform>note: resuming %n unfinished operations from %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>note: team %1: %n operation(s), %2 not watched before</source>
        <translation>
            <numerusform>note: team %1: %n operation, %2 not watched before</numerusform>
            <numerusform>note: team %1: %n operations, %2 not watched before</numerusform>
        </translation>
    </message>
</context>
</TS>
