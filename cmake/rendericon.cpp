// rendericon IN.svg SIZE OUT.png: the app's icon at one of the hicolor theme's fixed sizes, drawn
// by Qt's own SVG reader at build time, so the PNGs can never drift from the SVG.
#include <QCoreApplication>
#include <QImage>
#include <QImageReader>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv); // loads the SVG image plugin
    if (argc != 4) {
        std::fprintf(stderr, "usage: rendericon IN.svg SIZE OUT.png\n");
        return 1;
    }
    const int size = QByteArray(argv[2]).toInt();
    QImageReader reader(QString::fromLocal8Bit(argv[1]));
    reader.setScaledSize(QSize(size, size));
    const QImage image = reader.read();
    if (image.isNull() || !image.save(QString::fromLocal8Bit(argv[3]))) {
        std::fprintf(stderr, "rendericon: %s: %s\n", argv[1], qPrintable(reader.errorString()));
        return 1;
    }
    return 0;
}
