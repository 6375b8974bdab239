// SPDX-License-Identifier: GPL-3.0-or-later
#include "TraceExport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>

namespace opteq {

QByteArray formatNumber(double v)
{
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    return QByteArray::number(v, 'g', 17);
}

QByteArray tracesToCsv(const std::vector<SolverRun>& runs, int n)
{
    QByteArray out = "method,start,iteration";
    for (int i = 0; i < n; ++i) out += ",z" + QByteArray::number(i + 1);
    out += ",abs_residual,rel_residual,objective\n";
    for (const SolverRun& run : runs) {
        // Quoted only where CSV needs it (a comma or quote in the label).
        QByteArray method = QByteArray::fromStdString(run.label);
        if (method.contains(',') || method.contains('"')) method = "\"" + method.replace('"', "\"\"") + "\"";
        for (size_t s = 0; s < run.traces.size(); ++s) {
            const Trace& t = run.traces[s];
            for (size_t r = 0; r < t.iterates.size(); ++r) {
                const int k = t.iterateIndex[r];
                out += method + "," + QByteArray::number(qulonglong(s + 1)) + "," + QByteArray::number(k);
                for (Eigen::Index i = 0; i < t.iterates[r].size(); ++i) out += "," + formatNumber(t.iterates[r](i));
                const auto at = [&](const std::vector<double>& v) {
                    return size_t(k) < v.size() ? formatNumber(v[k]) : QByteArray("nan");
                };
                out += "," + at(t.absResidual) + "," + at(t.relResidual) + "," + at(t.objective) + "\n";
            }
        }
    }
    return out;
}

std::vector<double> tracesToRows(const std::vector<SolverRun>& runs, int n)
{
    std::vector<double> m;
    for (size_t r = 0; r < runs.size(); ++r)
        for (size_t s = 0; s < runs[r].traces.size(); ++s) {
            const Trace& t = runs[r].traces[s];
            for (size_t i = 0; i < t.iterates.size(); ++i) {
                const int k = t.iterateIndex[i];
                m.push_back(double(r));
                m.push_back(double(s + 1));
                m.push_back(double(k));
                for (int c = 0; c < n; ++c) m.push_back(c < t.iterates[i].size() ? t.iterates[i](c) : std::nan(""));
                for (const std::vector<double>* v : {&t.absResidual, &t.relResidual, &t.objective})
                    m.push_back(size_t(k) < v->size() ? (*v)[size_t(k)] : std::nan(""));
            }
        }
    return m;
}

QByteArray tracesToJson(const std::vector<SolverRun>& runs, const QString& sceneName, double spectralNorm)
{
    auto arr = [](const Eigen::VectorXd& v) {
        QJsonArray a;
        for (Eigen::Index i = 0; i < v.size(); ++i) a.append(std::isfinite(v(i)) ? QJsonValue(v(i)) : QJsonValue());
        return a;
    };
    auto num = [](double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(); };
    QJsonArray ts;
    for (const SolverRun& run : runs)
        for (size_t s = 0; s < run.traces.size(); ++s) {
            const Trace& t = run.traces[s];
            QJsonArray its;
            for (size_t r = 0; r < t.iterates.size(); ++r) {
                const size_t k = size_t(t.iterateIndex[r]);
                QJsonObject o{{"iteration", int(k)}, {"z", arr(t.iterates[r])}};
                if (k < t.absResidual.size()) o["abs_residual"] = num(t.absResidual[k]);
                if (k < t.relResidual.size()) o["rel_residual"] = num(t.relResidual[k]);
                if (k < t.objective.size()) o["objective"] = num(t.objective[k]);
                its.append(o);
            }
            ts.append(QJsonObject{{"method", QString::fromStdString(run.label)}, {"start", int(s + 1)}, {"status", statusName(t.status)},
                                  {"iterations", t.iterations}, {"residual", num(t.residual)}, {"z", arr(t.z)},
                                  {"note", QString::fromStdString(t.note)}, {"trace", its}});
        }
    const QJsonObject root{{"scene", sceneName}, {"spectral_norm", num(spectralNorm)}, {"traces", ts}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QByteArray gridToCsv(const Grid& g)
{
    QByteArray out = "x,y,objective\n";
    for (int j = 0; j < g.spec.ny; ++j)
        for (int i = 0; i < g.spec.nx; ++i)
            out += formatNumber(g.spec.x(i)) + "," + formatNumber(g.spec.y(j)) + "," + formatNumber(g.at(i, j)) + "\n";
    return out;
}

QByteArray basinsToCsv(const BasinMap& m)
{
    QByteArray out = "i,j,start_s,start_t,end_s,end_t,end_z1,iterations,status\n";
    for (int j = 0; j < m.spec.ny; ++j)
        for (int i = 0; i < m.spec.nx; ++i) {
            const size_t k = m.index(i, j);
            out += QByteArray::number(i) + "," + QByteArray::number(j) + "," + formatNumber(m.spec.x(i)) + ","
                + formatNumber(m.spec.y(j)) + "," + formatNumber(m.endS[k]) + "," + formatNumber(m.endT[k]) + ","
                + formatNumber(m.endFirst[k]) + "," + QByteArray::number(m.iterations[k]) + ","
                + statusName(SolveStatus(m.status[k])) + "\n";
        }
    return out;
}

QByteArray rateMapToCsv(const RateMap& m)
{
    QByteArray out = QByteArray(rateParamName(m.px)) + "," + rateParamName(m.py) + ",iterations,status\n";
    for (int j = 0; j < m.spec.ny; ++j)
        for (int i = 0; i < m.spec.nx; ++i) {
            const size_t k = size_t(j) * m.spec.nx + i;
            out += formatNumber(m.spec.x(i)) + "," + formatNumber(m.spec.y(j)) + "," + QByteArray::number(m.iterations[k])
                + "," + statusName(SolveStatus(m.status[k])) + "\n";
        }
    return out;
}

}  // namespace opteq
