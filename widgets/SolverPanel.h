// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The solver's real parameters, the comparison solvers, the prior of way 2, and playback
// (play, pause, single step, restart, speed). Emits edited scenes and playback requests.
// GUI thread only.
#include "Scene.h"

#include <memory>

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;

namespace opteq {

class SolverPanel : public QWidget {
    Q_OBJECT
public:
    explicit SolverPanel(QWidget* parent = nullptr);
    void setScene(std::shared_ptr<const Scene> scene);
    void setPlaying(bool playing);
    QComboBox* methodBox() const { return m_method; }
    QComboBox* priorBox() const { return m_prior; }

    // "1.5, 0" → vector of n entries; empty optional with a message when it does not parse.
    static std::optional<Eigen::VectorXd> parseVector(const QString& text, int n, QString* error);

signals:
    void sceneEdited(std::shared_ptr<const opteq::Scene> scene, const QString& description, int mergeKey);
    void playToggled(bool play);
    void stepRequested();
    void restartRequested();
    void speedChanged(int iterationsPerSecond);

private:
    void apply(const QString& what);
    void updateEnabled();

    std::shared_ptr<const Scene> m_scene = std::make_shared<const Scene>();
    bool m_updating = false;
    QComboBox* m_method;
    QLineEdit* m_tol;
    QSpinBox* m_maxIter;
    QDoubleSpinBox *m_theta, *m_beta, *m_step;
    QSpinBox* m_memory;
    QLineEdit* m_lambda;
    std::vector<QCheckBox*> m_compare;
    QComboBox* m_prior;
    QLineEdit *m_anchor, *m_target;
    QDoubleSpinBox *m_rho, *m_mu, *m_priorTheta;
    QLabel* m_schedule;
    QLabel* m_error;
    QPushButton *m_play, *m_stepButton, *m_restart;
    QSlider* m_speed;
};

}  // namespace opteq
