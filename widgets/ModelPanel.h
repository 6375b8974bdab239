// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <limits>
// Edits the model part of a scene: W, U, b and the input x as validated tables, live sliders for
// the selected W entry and for x, ‖W‖₂ with its meaning, "scale W to ‖W‖₂ = c", and per-layer
// activation and regularizers with a plot of σ and f. Emits whole edited scenes; the controller
// owns the scene and the undo stack. GUI thread only.
#include "Scene.h"

#include <memory>

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QCheckBox;
class QLabel;
class QSlider;
class QVBoxLayout;

namespace opteq {

class ActivationPlot;
class MatrixEditor;

class ModelPanel : public QWidget {
    Q_OBJECT
public:
    explicit ModelPanel(QWidget* parent = nullptr);
    // knownNorm: the scene's ‖W‖₂ when the controller knows it (NaN: small W are computed here).
    void setScene(std::shared_ptr<const Scene> scene, double knownNorm = std::numeric_limits<double>::quiet_NaN());
    // ‖W‖₂ of the current scene, from the solve job (large W is never decomposed on the GUI thread).
    void setSpectralNorm(double s);

    // Parts exposed for tests and the window.
    MatrixEditor* weightEditor() const { return m_W; }
    MatrixEditor* startsEditor() const { return m_starts; }
    QSlider* entrySlider() const { return m_entrySlider; }
    QLabel* entryLabel() const { return m_entryLabel; }
    QLabel* normLabel() const { return m_norm; }
    QComboBox* activationBox() const { return m_activation; }

    static QString normMeaning(double norm);
    // Which network this dock shows when that is not plain (the scene not trained yet, or a
    // training run whose weights are not the scene's yet); empty: hidden.
    void setWhichModel(const QString& note);
    QLabel* whichModelLabel() const { return m_which; }

signals:
    // mergeKey != 0: consecutive edits with the same key form one undo step (a slider drag).
    // The edited scene, made once by this panel and handed over (the controller keeps it).
    void sceneEdited(std::shared_ptr<const opteq::Scene> scene, const QString& description, int mergeKey);
    void generateDeepRequested();
    // "Scale W to ‖W‖₂ = target": the owner scales with the solved ‖W‖₂ (no decomposition here).
    void scaleRequested(double target);
    // A typed value was refused (names the cell and why; the old value stays).
    void problem(const QString& text);

private:
    void emitEdit(const QString& what, int mergeKey = 0);
    void showNorm(double knownNorm = std::numeric_limits<double>::quiet_NaN());
    void showHeatKey();
    void showSelectedEntry();
    void updateLayerControls();
    void applyLayerControls();
    void rebuildInputSliders();

    // The shown scene (shared, never copied to show it) and an edit in progress (its one copy).
    std::shared_ptr<const Scene> m_scene = std::make_shared<const Scene>();
    std::shared_ptr<Scene> m_draft;
    const Scene& scene() const { return m_draft ? *m_draft : *m_scene; }
    Scene& draft();
    bool m_updating = false;
    MatrixEditor *m_W, *m_U, *m_b, *m_x, *m_starts;
    QLabel* m_heatKey = nullptr;
    QLabel* m_norm;
    QLabel* m_which = nullptr;
    QDoubleSpinBox* m_scaleTarget;
    QSlider* m_entrySlider;
    QLabel* m_entryLabel;
    QWidget* m_inputSliders;
    QVBoxLayout* m_inputSliderLayout;
    QComboBox *m_layer, *m_activation;
    QDoubleSpinBox *m_slope, *m_lo, *m_hi, *m_lambda;
    QCheckBox *m_useL1, *m_useL2, *m_useBox;
    QDoubleSpinBox *m_l1, *m_l2, *m_l2Center, *m_boxLo, *m_boxHi;
    ActivationPlot* m_plot;
    int m_dragKey = 1000;
};

}  // namespace opteq
