// SPDX-License-Identifier: GPL-3.0-or-later
#include "Palette.h"

namespace opteq {

QColor seriesColor(int index)
{
    // Okabe–Ito colours: distinguishable for colour-blind readers and in print.
    static const QColor colors[] = {QColor(230, 97, 0), QColor(0, 114, 178), QColor(204, 50, 153), QColor(0, 158, 115),
                                    QColor(213, 94, 0), QColor(86, 180, 233), QColor(120, 94, 240), QColor(240, 228, 66)};
    return colors[((index % 8) + 8) % 8];
}

QColor methodColor(Method method, bool withPrior)
{
    if (withPrior) return QColor(30, 30, 30);
    switch (method) {
    case Method::Picard: return QColor(230, 97, 0);
    case Method::KM: return QColor(0, 158, 115);
    case Method::Anderson: return QColor(0, 114, 178);
    case Method::Broyden: return QColor(120, 94, 240);
    case Method::FB: return QColor(86, 180, 233);
    case Method::Fista: return QColor(204, 50, 153);
    case Method::PeacemanRachford: return QColor(140, 86, 75);
    }
    return QColor(90, 90, 90);
}

QCPColorGradient landscapeGradient()
{
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(68, 1, 84));
    g.setColorStopAt(0.25, QColor(59, 82, 139));
    g.setColorStopAt(0.5, QColor(33, 145, 140));
    g.setColorStopAt(0.75, QColor(94, 201, 98));
    g.setColorStopAt(1.0, QColor(253, 231, 37));
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    g.setNanHandling(QCPColorGradient::nhNanColor);
    g.setNanColor(maskColor());
    return g;
}

QColor maskColor() { return QColor(215, 215, 215); }

QCPColorGradient washedOut(const QCPColorGradient& g)
{
    QCPColorGradient out = g;
    QMap<double, QColor> stops;
    for (auto it = g.colorStops().constBegin(); it != g.colorStops().constEnd(); ++it) {
        const QColor c = it.value();
        stops.insert(it.key(), QColor::fromRgbF(float(0.35 * c.redF() + 0.65), float(0.35 * c.greenF() + 0.65),
                                                float(0.35 * c.blueF() + 0.65)));
    }
    out.setColorStops(stops);
    return out;
}

}  // namespace opteq
