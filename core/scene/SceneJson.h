// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the scene reader and writer (SceneIO.cpp, SceneTrainingIO.cpp): JSON values checked
// field by field. Every reader throws ParseError with "field: what is wrong"; parseScene turns
// it into the SceneResult's message.
#include "Scene.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <string>

namespace opteq::scenejson {

struct ParseError { std::string message; };

[[noreturn]] void fail(const std::string& field, const std::string& what);
const char* typeOf(const QJsonValue& v);
double number(const QJsonValue& v, const std::string& field);   // finite
double numberOr(const QJsonObject& o, const char* key, double dflt, const std::string& field);
int integer(const QJsonValue& v, const std::string& field, int lo, int hi);
QJsonObject object(const QJsonValue& v, const std::string& field);
QJsonArray array(const QJsonValue& v, const std::string& field);
// o[key], or ParseError "field.key: missing"; tmp holds the value.
const QJsonValue& need(const QJsonObject& o, const char* key, const std::string& field, QJsonValue& tmp);
Eigen::VectorXd vector(const QJsonValue& v, const std::string& field);
Eigen::MatrixXd matrix(const QJsonValue& v, const std::string& field);   // non-empty, rectangular
std::string string(const QJsonValue& v, const std::string& field);
QJsonArray toArray(const Eigen::VectorXd& v);
QJsonArray toArray(const Eigen::MatrixXd& m);

// The optional "readout" and "training" objects (issue #12, SceneTrainingIO.cpp): read into the
// scene (absent keys keep the defaults), and written only when the scene has them.
void parseReadoutAndTraining(const QJsonObject& root, Scene& s);
void writeReadoutAndTraining(const Scene& s, QJsonObject& root);

}  // namespace opteq::scenejson
