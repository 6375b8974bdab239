// SPDX-License-Identifier: GPL-3.0-or-later
#include "Names.h"

#include "Format.h"

#include <QCoreApplication>

namespace opteq {

namespace {
QString tr(const char* s) { return QCoreApplication::translate("opteq::Names", s); }
}  // namespace

QString methodDisplayName(Method m)
{
    switch (m) {
    case Method::Picard: return tr("Picard iteration");
    case Method::KM: return tr("Krasnoselskii–Mann");
    case Method::Anderson: return tr("Anderson acceleration");
    case Method::Broyden: return tr("Broyden's method");
    case Method::FB: return tr("forward–backward");
    case Method::Fista: return tr("FISTA");
    case Method::PeacemanRachford: return tr("Peaceman–Rachford");
    }
    return QString::fromLatin1(SolverSettings::methodName(m));
}

QString priorDisplayName(PriorType t)
{
    switch (t) {
    case PriorType::None: return tr("no prior");
    case PriorType::Halpern: return tr("Halpern anchoring");
    case PriorType::Viscosity: return tr("viscosity approximation");
    case PriorType::Hsd: return tr("hybrid steepest descent (HSD)");
    }
    return QString::fromLatin1(PriorSettings::typeName(t));
}

QString gradientDisplayName(GradientKind g)
{
    switch (g) {
    case GradientKind::Implicit: return tr("implicit (exact)");
    case GradientKind::JacobianFree: return tr("Jacobian-free");
    case GradientKind::Unrolled: return tr("unrolled iterations");
    }
    return QString::fromLatin1(TrainingSettings::gradientName(g));
}

QString activationDisplayName(ActivationType t)
{
    switch (t) {
    case ActivationType::Identity: return tr("identity");
    case ActivationType::Relu: return tr("ReLU");
    case ActivationType::LeakyRelu: return tr("leaky ReLU");
    case ActivationType::Clip: return tr("clip");
    case ActivationType::SoftThreshold: return tr("soft threshold");
    case ActivationType::Tanh: return tr("tanh");
    case ActivationType::Logistic: return tr("logistic");
    case ActivationType::Arctan: return tr("arctan");
    case ActivationType::Softsign: return tr("softsign");
    case ActivationType::Elu: return tr("ELU");
    case ActivationType::Softplus: return tr("softplus");
    }
    return QString::fromLatin1(Activation::typeName(t));
}

QString lossDisplayName(LossKind l)
{
    switch (l) {
    case LossKind::CrossEntropy: return tr("cross-entropy");
    case LossKind::MeanSquaredError: return tr("mean squared error");
    }
    return QString::fromLatin1(TrainingSettings::lossName(l));
}

QString runDisplayName(Method m, bool withPrior, PriorType prior)
{
    if (!withPrior || prior == PriorType::None) return methodDisplayName(m);
    return tr("%1 (T: %2)").arg(priorDisplayName(prior), methodDisplayName(m));
}

QString selectorDisplayName(const FixSetReport& report)
{
    const QString point = QString::fromStdString(formatVector(report.selectorPoint, 4, 4));
    switch (report.selector) {
    case PriorType::Halpern: return tr("Halpern anchor %1").arg(point);
    case PriorType::Viscosity: return tr("viscosity anchor %1").arg(point);
    case PriorType::Hsd: return tr("HSD target %1").arg(point);
    case PriorType::None: break;
    }
    return QString::fromStdString(report.selectedBy);
}

QString runDisplayName(const SolverRun& run, const SceneSolution& solution)
{
    return runDisplayName(run.method, run.withPrior, solution.request ? solution.request->prior.type : PriorType::None);
}

}  // namespace opteq
