#include "model/printable.h"

namespace {

// Invisible, or able to move or reorder what a reader sees: C0, DEL, C1, every format character
// (zero-width spaces and joiners, bidi marks, embeddings, overrides and isolates, the byte order
// mark, language tags) and the line and paragraph separators.
bool isHidden(char32_t c)
{
    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
        return true;
    switch (QChar::category(c)) {
    case QChar::Other_Format:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

// Calls `each(codePoint, utf16Length)` for every code point of `text` (a lone surrogate as
// itself).
template <typename Each>
void forEachCodePoint(QStringView text, Each each)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar ch = text[i];
        if (ch.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            each(QChar::surrogateToUcs4(ch, text[i + 1]), 2);
            ++i;
        } else {
            each(char32_t(ch.unicode()), 1);
        }
    }
}

QString escaped(char32_t c)
{
    if (c < 0x100)
        return QStringLiteral("\\x%1").arg(int(c), 2, 16, QLatin1Char('0'));
    if (c < 0x10000)
        return QStringLiteral("\\u%1").arg(int(c), 4, 16, QLatin1Char('0'));
    return QStringLiteral("\\U%1").arg(int(c), 8, 16, QLatin1Char('0'));
}

} // namespace

QString printable(QStringView text)
{
    QString out;
    out.reserve(text.size());
    forEachCodePoint(text, [&out](char32_t c, int) {
        if (!isHidden(c))
            out.append(QStringView(QChar::fromUcs4(c)));
        else if (c == U'\n')
            out.append(QLatin1String("\\n"));
        else if (c == U'\r')
            out.append(QLatin1String("\\r"));
        else if (c == U'\t')
            out.append(QLatin1String("\\t"));
        else
            out.append(escaped(c));
    });
    return out;
}

QByteArray jsonPrintable(const QByteArray &json)
{
    // QJsonDocument writes these characters raw inside strings; JSON allows \u escapes for any
    // character, so they are written so (surrogate pairs beyond the BMP), and the text is
    // unchanged for any JSON reader.
    const QString text = QString::fromUtf8(json);
    QString out;
    out.reserve(text.size());
    bool changed = false;
    forEachCodePoint(text, [&](char32_t c, int) {
        if (c < 0x80 || !isHidden(c)) {
            out.append(QStringView(QChar::fromUcs4(c)));
            return;
        }
        changed = true;
        for (const QChar unit : QChar::fromUcs4(c))
            out.append(QStringLiteral("\\u%1").arg(unit.unicode(), 4, 16, QLatin1Char('0')));
    });
    return changed ? out.toUtf8() : json;
}
