#pragma once

class QApplication;

// A dark Fusion palette (teamsops --dark), for admins who work in the dark and for the README's
// screenshots; the accessibility test runs the window in it too.
void useDarkPalette(QApplication &app);
