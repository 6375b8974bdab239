// SPDX-License-Identifier: GPL-3.0-or-later
#include "SceneJson.h"

#include <cmath>

namespace opteq::scenejson {

void fail(const std::string& field, const std::string& what) { throw ParseError{field + ": " + what}; }

const char* typeOf(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return "a boolean";
    case QJsonValue::Double: return "a number";
    case QJsonValue::String: return "a string";
    case QJsonValue::Array: return "an array";
    case QJsonValue::Object: return "an object";
    default: return "nothing";
    }
}

double number(const QJsonValue& v, const std::string& field)
{
    if (!v.isDouble()) fail(field, std::string("expected a number, got ") + typeOf(v));
    const double d = v.toDouble();
    if (!std::isfinite(d)) fail(field, "expected a finite number");
    return d;
}

double numberOr(const QJsonObject& o, const char* key, double dflt, const std::string& field)
{
    return o.contains(key) ? number(o.value(key), field + "." + key) : dflt;
}

int integer(const QJsonValue& v, const std::string& field, int lo, int hi)
{
    const double d = number(v, field);
    if (d != std::floor(d)) fail(field, "expected a whole number");
    if (d < lo || d > hi) fail(field, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return int(d);
}

QJsonObject object(const QJsonValue& v, const std::string& field)
{
    if (!v.isObject()) fail(field, std::string("expected an object, got ") + typeOf(v));
    return v.toObject();
}

QJsonArray array(const QJsonValue& v, const std::string& field)
{
    if (!v.isArray()) fail(field, std::string("expected an array, got ") + typeOf(v));
    return v.toArray();
}

const QJsonValue& need(const QJsonObject& o, const char* key, const std::string& field, QJsonValue& tmp)
{
    if (!o.contains(key)) fail(field.empty() ? std::string(key) : field + "." + key, "missing");
    tmp = o.value(key);
    return tmp;
}

Eigen::VectorXd vector(const QJsonValue& v, const std::string& field)
{
    const QJsonArray a = array(v, field);
    if (a.size() > kMaxStateDim) fail(field, "more than " + std::to_string(kMaxStateDim) + " entries (the limit)");
    Eigen::VectorXd out(a.size());
    for (int i = 0; i < a.size(); ++i) out(i) = number(a[i], field + "[" + std::to_string(i) + "]");
    return out;
}

Eigen::MatrixXd matrix(const QJsonValue& v, const std::string& field)
{
    const QJsonArray rows = array(v, field);
    if (rows.size() > kMaxStateDim) fail(field, "more than " + std::to_string(kMaxStateDim) + " rows (the limit)");
    if (rows.isEmpty()) fail(field, "expected a non-empty array of rows");
    int cols = -1;
    Eigen::MatrixXd out;
    for (int r = 0; r < rows.size(); ++r) {
        const std::string rf = field + "[" + std::to_string(r) + "]";
        const QJsonArray row = array(rows[r], rf);
        if (cols < 0) {
            cols = int(row.size());
            if (cols > kMaxStateDim) fail(rf, "more than " + std::to_string(kMaxStateDim) + " columns (the limit)");
            out.resize(rows.size(), cols);
        } else if (row.size() != cols) {
            fail(rf, "has " + std::to_string(row.size()) + " entries but row 0 has " + std::to_string(cols));
        }
        for (int c = 0; c < cols; ++c) out(r, c) = number(row[c], rf + "[" + std::to_string(c) + "]");
    }
    return out;
}

std::string string(const QJsonValue& v, const std::string& field)
{
    if (!v.isString()) fail(field, std::string("expected a string, got ") + typeOf(v));
    return v.toString().toStdString();
}

QJsonArray toArray(const Eigen::VectorXd& v)
{
    QJsonArray a;
    for (Eigen::Index i = 0; i < v.size(); ++i) a.append(v(i));
    return a;
}

QJsonArray toArray(const Eigen::MatrixXd& m)
{
    QJsonArray rows;
    for (Eigen::Index r = 0; r < m.rows(); ++r) rows.append(toArray(Eigen::VectorXd(m.row(r).transpose())));
    return rows;
}

}  // namespace opteq::scenejson
