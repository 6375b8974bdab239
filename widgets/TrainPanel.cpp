// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrainPanel.h"
#include "Names.h"

#include <QFileInfo>

#include "DecisionMap.h"
#include "PlotStyle.h"
#include "Trainer.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

#include <algorithm>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

namespace opteq {

// The status text under Play: always `lines` lines high (its font's), so a longer text never
// moves the buttons beside it between two clicks.
class StatusLines : public QLabel {
public:
    explicit StatusLines(int lines) : m_lines(lines)
    {
        setWordWrap(true);
        setAlignment(Qt::AlignLeft | Qt::AlignTop);
        setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
        fit();
    }
protected:
    void changeEvent(QEvent* e) override
    {
        if (e->type() == QEvent::FontChange) fit();   // presentation mode
        QLabel::changeEvent(e);
    }

public:
    void setLines(int lines)
    {
        m_lines = lines;
        fit();
    }

private:
    void fit() { setFixedHeight(m_lines * fontMetrics().lineSpacing() + 2); }
    int m_lines;
};



namespace {
QSpinBox* spin(int lo, int hi, const QString& tip)
{
    auto* b = new QSpinBox;
    b->setRange(lo, hi);
    b->setToolTip(tip);
    return b;
}
QDoubleSpinBox* dspin(double lo, double hi, int decimals, double step, const QString& tip)
{
    auto* b = new QDoubleSpinBox;
    b->setRange(lo, hi);
    b->setDecimals(decimals);
    b->setSingleStep(step);
    b->setToolTip(tip);
    return b;
}
}  // namespace

// "Data: points.csv · 300 points (225 train, 75 test) · 3 inputs · 3 classes (0: 100, 1: 100, 2: 100)".
// The source as the data row and the data box name it: a CSV by its file name, an image source
// by DataSpec::sourceName ("the fashion-mnist data set"), a generator by its name.
static QString sourceLabel(const DataSpec& spec)
{
    if (spec.generator != DataGenerator::None) return TrainingSettings::generatorName(spec.generator);
    if (spec.kind() == DataKind::Csv) return QFileInfo(QString::fromStdString(spec.file)).fileName();
    return QString::fromStdString(spec.sourceName());
}

static QString dataSummary(const DataSpec& spec, const Dataset& train, const Dataset& test)
{
    const QString source = sourceLabel(spec);
    QString text = train.isImage()
                       ? QObject::tr("Data: %1 · %2 images (%3 train, %4 test) · %5×%6 pixels")
                             .arg(source).arg(train.size() + test.size()).arg(train.size()).arg(test.size()).arg(train.imageRows).arg(train.imageCols)
                       : QObject::tr("Data: %1 · %2 points (%3 train, %4 test) · %5 input%6")
                             .arg(source).arg(train.size() + test.size()).arg(train.size()).arg(test.size())
                             .arg(train.X.cols()).arg(train.X.cols() == 1 ? "" : "s");
    if (!train.labels.empty()) {
        std::vector<int> count(size_t(std::max(train.classes, 1)), 0);
        for (const Dataset* d : {&train, &test})
            for (int l : d->labels)
                if (l >= 0 && size_t(l) < count.size()) ++count[size_t(l)];
        QStringList c;
        for (size_t k = 0; k < count.size() && k < 12; ++k) c << QString("%1: %2").arg(train.classNames.empty() ? QString::number(k) : className(train, int(k))).arg(count[k]);
        if (count.size() > 12) c << "…";
        text += QObject::tr(" · %1 classes (%2)").arg(train.classes).arg(c.join(", "));
    } else {
        text += QObject::tr(" · %1 regression targets").arg(train.targets.cols());
    }
    return text;
}

TrainPanel::TrainPanel(QWidget* parent) : QWidget(parent)
{
    auto* l = new QVBoxLayout(this);
    auto* form = new QGridLayout;
    m_data = new QComboBox;
    for (DataGenerator g : {DataGenerator::Moons, DataGenerator::Circles, DataGenerator::Spirals, DataGenerator::Xor, DataGenerator::Blobs})
        m_data->addItem(TrainingSettings::generatorName(g), int(g));
    m_data->setToolTip(tr("The 2-D toy dataset (a CSV file can be named in the scene file)"));
    m_samples = spin(4, 100000, tr("Points in the dataset (train + test)"));
    m_noise = dspin(0, 2, 3, 0.01, tr("Standard deviation of the Gaussian noise added to each point"));
    m_classes = spin(2, 32, tr("Classes: spiral arms or blobs (moons, circles and xor have 2)"));
    m_seed = spin(0, 1000000, tr("Seed of the data and of the initial weights and shuffling: a run is reproducible"));
    m_units = spin(2, 512, tr("Hidden units n of the implicit layer (changing it starts an untrained network)"));
    m_activation = new QComboBox;
    for (ActivationType t : {ActivationType::Tanh, ActivationType::Relu, ActivationType::Logistic, ActivationType::Softplus,
                             ActivationType::Elu, ActivationType::Arctan, ActivationType::Softsign, ActivationType::LeakyRelu})
        m_activation->addItem(activationDisplayName(t), int(t));
    m_activation->setToolTip(tr("σ = prox_f of the hidden units (changing it starts an untrained network)"));
    m_maxNorm = dspin(0.05, 2, 3, 0.05, tr("‖W‖₂ is rescaled to at most this after every step: below 1 the equilibrium is unique and "
                                           "the forward and adjoint iterations contract"));
    m_optimizer = new QComboBox;
    m_optimizer->addItem("adam", int(OptimizerKind::Adam));
    m_optimizer->addItem("sgd", int(OptimizerKind::Sgd));
    m_lr = dspin(1e-5, 10, 5, 0.001, tr("Learning rate"));
    m_schedule = new QComboBox;
    m_schedule->addItem(tr("constant"), int(LrSchedule::Constant));
    m_schedule->addItem(tr("cosine"), int(LrSchedule::Cosine));
    m_schedule->setToolTip(tr("The learning rate over the run: constant, or cosine from lr down to 0 at the last epoch "
                              "(large steps first, fine ones at the end; on Fashion-MNIST it lifted the test accuracy after 10 epochs from 0.873 to 0.882)"));
    m_batch = spin(1, 100000, tr("Mini-batch size (at least the training split: full batch)"));
    m_epochs = spin(1, 100000, tr("Epochs a Play runs to"));
    m_gradient = new QComboBox;
    for (GradientKind g : {GradientKind::Implicit, GradientKind::JacobianFree, GradientKind::Unrolled})
        m_gradient->addItem(gradientDisplayName(g), int(g));
    m_gradient->setToolTip(tr("The gradient the optimiser follows: implicit (exact, by the adjoint fixed point), Jacobian-free or "
                              "unrolled (cheap estimators; their cosine to the exact one is plotted either way)"));
    // Short rows (data; network; optimiser; seed), so the tab never widens the window.
    auto add = [&](const QString& label, QWidget* w, int row, int col) {
        form->addWidget(new QLabel(label), row, 2 * col);
        form->addWidget(w, row, 2 * col + 1);
    };
    add(tr("data"), m_data, 0, 0);
    add(tr("points"), m_samples, 0, 1);
    add(tr("noise"), m_noise, 0, 2);
    add(tr("classes"), m_classes, 0, 3);
    add(tr("units n"), m_units, 1, 0);
    add(tr("σ"), m_activation, 1, 1);
    add(tr("max ‖W‖₂"), m_maxNorm, 1, 2);
    add(tr("gradient"), m_gradient, 1, 3);
    add(tr("optimiser"), m_optimizer, 2, 0);
    add(tr("lr"), m_lr, 2, 1);
    add(tr("batch"), m_batch, 2, 2);
    add(tr("epochs"), m_epochs, 2, 3);
    add(tr("seed"), m_seed, 3, 0);   // four columns: the tab must not widen the window past 1600 px
    m_loss = new QComboBox;
    // Reader's names; the scene file and the CLI keep the ids "cross_entropy" and "mse".
    for (LossKind l : {LossKind::CrossEntropy, LossKind::MeanSquaredError}) m_loss->addItem(lossDisplayName(l), int(l));
    // "mean squared error" must not widen the four columns (the window fits 1366 px): the closed
    // box shows what fits, the list the whole names.
    m_loss->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_loss->setMinimumContentsLength(10);
    m_loss->setToolTip(tr("cross-entropy: class labels (softmax); mean squared error: targets y1..yK, or class labels as one-hot targets"));
    add(tr("loss"), m_loss, 3, 1);
    m_pace = new QComboBox;
    m_pace->addItem(tr("fastest"), 0.0);
    m_pace->addItem(tr("20 epochs/s"), 20.0);
    m_pace->addItem(tr("5 epochs/s"), 5.0);
    m_pace->addItem(tr("1 epoch/s"), 1.0);
    m_pace->setToolTip(tr("How fast a run goes: slow it down to watch the regions bend epoch by epoch (a view setting, not saved)"));
    // Pace is a playback control: it sits with Play (below), and its grid cell holds the schedule
    // (a row of its own cost the Train tab's plots their height at 1366×768).
    add(tr("schedule"), m_schedule, 3, 2);
    // Data with more than two inputs: which two the regions span (the others at their means).
    auto* shown = new QWidget;
    auto* sh = new QHBoxLayout(shown);
    sh->setContentsMargins(0, 0, 0, 0);
    m_shownX = new QComboBox;
    m_shownY = new QComboBox;
    for (QComboBox* c : {m_shownX, m_shownY}) {
        c->setToolTip(tr("The two inputs the decision regions are drawn over; the other inputs are held at their means"));
        sh->addWidget(c);
        connect(c, &QComboBox::activated, this, [this] {
            if (m_shownX->currentIndex() == m_shownY->currentIndex()) return;   // a plane needs two inputs
            emit shownInputsChanged(m_shownX->currentIndex(), m_shownY->currentIndex());
        });
    }
    add(tr("shown"), shown, 3, 3);
    m_shownRow = shown;
    setShownInputs(2);
    connect(m_pace, &QComboBox::currentIndexChanged, this, [this] { emit paceChanged(m_pace->currentData().toDouble()); });
    form->setColumnStretch(10, 1);
    m_settings = new QWidget;
    m_settings->setLayout(form);
    form->setContentsMargins(0, 0, 0, 0);
    l->addWidget(m_settings);
    // What the network learns from, as read: source, N, d, K and the class counts.
    m_dataInfo = new QLabel;
    m_dataInfo->setWordWrap(true);
    m_dataInfo->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_dataInfo->setToolTip(tr("The data as the trainer read it (a file's own size, inputs and classes)"));
    l->addWidget(m_dataInfo);
    auto* buttons = new QHBoxLayout;
    m_play = new QPushButton(tr("▶ Play"));
    m_play->setToolTip(tr("Train in the background, drawing the network as it learns; press again to pause"));
    m_step = new QPushButton(tr("Step one epoch"));
    m_reset = new QPushButton(tr("Reset"));
    m_reset->setToolTip(tr("Forget the trained weights (undoable): the next Play starts from fresh weights"));
    m_status = new StatusLines(3);
    setStatus(tr("Not trained yet."));
    buttons->addWidget(m_play, 0, Qt::AlignTop);
    buttons->addWidget(m_step, 0, Qt::AlignTop);
    buttons->addWidget(m_reset, 0, Qt::AlignTop);
    m_paceLabel = new QLabel(tr("pace"));
    m_paceLabel->setToolTip(m_pace->toolTip());
    buttons->addWidget(m_paceLabel, 0, Qt::AlignTop | Qt::AlignVCenter);
    buttons->addWidget(m_pace, 0, Qt::AlignTop);
    // Presentation mode hides the settings grid; this brings it back for a lesson's "set … to".
    m_showSettings = new QPushButton(tr("Settings…"));
    m_showSettings->setCheckable(true);
    m_showSettings->setToolTip(tr("Show the training settings (hidden in presentation mode to give the plots the room)"));
    m_showSettings->setVisible(false);
    connect(m_showSettings, &QPushButton::toggled, this, [this](bool on) {
        m_settings->setVisible(on);
        m_dataInfo->setVisible(on);
        m_pace->setVisible(on);
        m_paceLabel->setVisible(on);
    });
    buttons->addWidget(m_showSettings, 0, Qt::AlignTop);
    // Per batch while a run goes (an epoch of all of Fashion-MNIST takes seconds): the bar with
    // its text inside, as wide as its longest text.
    m_progress = new QProgressBar;
    m_progress->setTextVisible(true);
    m_progress->setAlignment(Qt::AlignCenter);
    m_progress->setMinimumWidth(m_progress->fontMetrics().horizontalAdvance(tr("epoch 888, evaluating the training split 88/88")) + 24);
    m_progress->setToolTip(tr("Where the run is: the epoch's batches, then its evaluation on the training and test splits"));
    m_progress->setVisible(false);
    buttons->addWidget(m_progress, 0, Qt::AlignTop);
    buttons->addWidget(m_status, 1);
    l->addLayout(buttons);
    m_decision = new DecisionView;
    m_curves = new CurvesView;
    m_diag = new DiagnosticsView;
    m_embedding = new EmbeddingView;
    m_images = new ImagePanel;
    m_plots = new QGridLayout;
    arrange(false);
    l->addLayout(m_plots, 1);

    auto edited = [this](const QString& what) { return [this, what] { emitEdit(what); }; };
    connect(m_data, &QComboBox::activated, this, edited(tr("training data")));
    for (QSpinBox* b : {m_samples, m_classes, m_seed, m_batch, m_epochs}) connect(b, &QSpinBox::editingFinished, this, edited(tr("training setting")));
    for (QDoubleSpinBox* b : {m_noise, m_maxNorm, m_lr}) connect(b, &QDoubleSpinBox::editingFinished, this, edited(tr("training setting")));
    connect(m_optimizer, &QComboBox::activated, this, edited(tr("optimiser")));
    connect(m_schedule, &QComboBox::activated, this, edited(tr("learning-rate schedule")));
    connect(m_gradient, &QComboBox::activated, this, edited(tr("gradient estimator")));
    connect(m_loss, &QComboBox::activated, this, edited(tr("loss")));
    connect(m_units, &QSpinBox::editingFinished, this, edited(tr("network size")));
    connect(m_activation, &QComboBox::activated, this, edited(tr("network activation")));
    // A scene without training settings gets them (and a network of the units shown) first.
    connect(m_play, &QPushButton::clicked, this, [this] {
        if (m_running) { emit pauseRequested(); return; }
        if (!m_scene->hasTraining) emitEdit(tr("set up training"));
        emit playRequested();
    });
    connect(m_step, &QPushButton::clicked, this, [this] {
        if (!m_scene->hasTraining) emitEdit(tr("set up training"));
        emit stepRequested();
    });
    connect(m_reset, &QPushButton::clicked, this, &TrainPanel::resetRequested);
    connect(m_images, &ImagePanel::imageChosen, this, &TrainPanel::imageChosen);
    connect(m_images, &ImagePanel::openImage, this, [this](int row) {
        if (!m_imageTest || row < 0 || row >= m_imageTest->size()) return;
        const int truth = row < int(m_imageTest->labels.size()) ? m_imageTest->labels[size_t(row)] : -1;
        emit exploreInput(m_imageTest->X.row(row).transpose(), tr("test image %1 (%2)").arg(row + 1).arg(className(*m_imageTest, truth)));
    });
    connect(m_decision, &DecisionView::pointClicked, this, [this](const Eigen::VectorXd& x, int label, int predicted) {
        QStringList coords;
        for (Eigen::Index i = 0; i < std::min<Eigen::Index>(x.size(), 4); ++i) coords << QString::number(x(i), 'g', 4);
        if (x.size() > 4) coords << "…";
        QString which = tr("the data point (%1) of class %2").arg(coords.join(", ")).arg(label);
        if (predicted >= 0) which += predicted == label ? tr(", predicted right") : tr(", predicted as class %1").arg(predicted);
        emit exploreInput(x, which);
    });
}

void TrainPanel::arrange(bool images)
{
    // 2-D data: the decision regions large on the left; the curves and the equilibria share the
    // right, the diagnostics under both (its legend is long: the full width keeps it to a row or
    // two). Images: the image views' pages take the regions' place, the chosen image's z* strip
    // the diagnostics' row under the curves and the diagnostics the equilibria's place.
    m_imageMode = images;
    for (QWidget* w : std::initializer_list<QWidget*>{m_decision, m_curves, m_embedding, m_diag, m_images, m_images->strip()})
        m_plots->removeWidget(w);
    m_decision->setVisible(!images);
    m_embedding->setVisible(!images);
    m_images->setVisible(images);
    m_images->strip()->setVisible(images);
    // Images: the diagnostics become a page of the image views (beside the curves and the strip
    // they were under 150 px wide at 1366×768); 2-D data: back in the grid.
    const int diagPage = m_images->indexOf(m_diag);
    if (images && diagPage < 0) m_images->addTab(m_diag, tr("Solver diagnostics"));
    if (!images && diagPage >= 0) m_images->removeTab(diagPage);
    if (images) {
        m_plots->addWidget(m_images, 0, 0, 2, 1);
        m_plots->addWidget(m_curves, 0, 1);
        m_plots->addWidget(m_images->strip(), 1, 1);
        m_plots->setColumnStretch(0, 1);   // the strip's two axis rects need half the width
        m_plots->setColumnStretch(1, 1);
        m_plots->setColumnStretch(2, 0);
    } else {
        m_plots->addWidget(m_decision, 0, 0, 2, 1);
        m_plots->addWidget(m_curves, 0, 1);
        m_plots->addWidget(m_embedding, 0, 2);
        m_plots->addWidget(m_diag, 1, 1, 1, 2);
        m_diag->setVisible(true);
        m_plots->setColumnStretch(0, 5);
        m_plots->setColumnStretch(1, 4);   // two y axes: the curves need more width than the equilibria
        m_plots->setColumnStretch(2, 3);
    }
    // 2-D: the loss plot's legend takes two rows, the diagnostics' one. Images: the loss plot's
    // legend and axis labels against the strip's two-line title over its two axis rects.
    m_plots->setRowStretch(0, images ? 52 : 5);
    m_plots->setRowStretch(1, images ? 48 : 4);
}

void TrainPanel::showImages(const Scene& scene, std::shared_ptr<const Dataset> test, std::shared_ptr<const ImageReport> report)
{
    if (!m_imageMode) arrange(true);
    m_imageTest = test;
    m_images->setFrame(scene, std::move(test), std::move(report), m_scene->input);   // x: the window's scene, not the run's
}

void TrainPanel::setScene(std::shared_ptr<const Scene> shared)
{
    const QScopedValueRollback guard(m_updating, true);
    m_scene = std::move(shared);   // shared, not copied
    const Scene& s = *m_scene;
    const TrainingSettings& t = s.training;   // defaults when the scene has none yet
    // A file source is an entry of its own: the generator fields do not apply to it (and an
    // edit of another setting must not turn the file back into a generator).
    const bool file = s.hasTraining && t.data.generator == DataGenerator::None;
    const int fileItem = m_data->findData(int(DataGenerator::None));
    const QString fileText = t.data.kind() == DataKind::Csv ? tr("file: %1").arg(sourceLabel(t.data)) : sourceLabel(t.data);
    if (file && fileItem < 0) m_data->addItem(fileText, int(DataGenerator::None));
    else if (file) m_data->setItemText(fileItem, fileText);
    else if (fileItem >= 0) m_data->removeItem(fileItem);
    m_data->setCurrentIndex(std::max(0, m_data->findData(int(t.data.generator))));
    // For a file they show "—", not a generator's 400 points and 0.1 noise the file contradicts
    // (at its minimum a spin box shows its special text).
    for (QAbstractSpinBox* g : std::initializer_list<QAbstractSpinBox*>{m_samples, m_noise, m_classes}) g->setEnabled(!file);
    m_samples->setSpecialValueText(file ? "—" : QString());
    m_noise->setSpecialValueText(file ? "—" : QString());
    m_classes->setSpecialValueText(file ? "—" : QString());
    if (!m_showsRun) m_dataInfo->setText(specSummary());
    m_samples->setValue(t.data.samples);
    m_noise->setValue(t.data.noise);
    m_classes->setValue(t.data.classes);
    if (file) {   // "—": the data line says what the file holds
        m_samples->setValue(m_samples->minimum());
        m_noise->setValue(m_noise->minimum());
        m_classes->setValue(m_classes->minimum());
    }
    m_seed->setValue(int(t.data.seed));
    m_units->setValue(s.hasTraining ? s.n() : 32);   // a playground network by default
    m_activation->setCurrentIndex(std::max(0, m_activation->findData(s.layers.empty() ? 0 : int(s.layers[0].activation.type))));
    m_maxNorm->setValue(t.maxNorm);
    m_optimizer->setCurrentIndex(std::max(0, m_optimizer->findData(int(t.optimizer))));
    m_lr->setValue(t.lr);
    m_schedule->setCurrentIndex(std::max(0, m_schedule->findData(int(t.lrSchedule))));
    m_batch->setValue(t.batch);
    m_epochs->setValue(t.epochs);
    m_gradient->setCurrentIndex(std::max(0, m_gradient->findData(int(t.gradient))));
    m_loss->setCurrentIndex(std::max(0, m_loss->findData(int(t.loss))));
    if (m_showsRun) return;
    if (!s.hasTraining)
        setStatus(tr("This scene has no training settings yet: Play sets up a network of the units shown on the dataset shown "
                             "(an undoable edit) and trains it."));
    else if (s.readout.empty())
        setStatus(tr("Not trained yet: press Play."));
    else
        setStatus(tr("This scene holds trained weights: Play continues training from them (the epoch count starts again at 1)."));
}

QString TrainPanel::specSummary() const
{
    const DataSpec& d = m_scene->training.data;
    if (!m_scene->hasTraining) return tr("Data: none yet (Play sets up %1)").arg(m_data->currentText());
    if (d.generator == DataGenerator::None) return tr("Data: %1 (read when the network is shown or trained)").arg(sourceLabel(d));
    const bool kClasses = d.generator == DataGenerator::Spirals || d.generator == DataGenerator::Blobs;
    return tr("Data: %1 · %2 points · 2 inputs · %3 classes").arg(TrainingSettings::generatorName(d.generator)).arg(d.samples).arg(kClasses ? d.classes : 2);
}

void TrainPanel::emitEdit(const QString& what)
{
    if (m_updating) return;
    Scene s = *m_scene;   // the edit's one copy
    TrainingSettings& t = s.training;
    const bool file = DataGenerator(m_data->currentData().toInt()) == DataGenerator::None;
    // moons, circles and xor are two-class by construction.
    bool twoClass = false;
    if (!file) {
        // From a file to a generator: its fields showed "—", so the generator starts from the
        // scene's kept (default) values, not from the blanked boxes.
        const bool wasFile = t.data.generator == DataGenerator::None && s.hasTraining;
        t.data.useGenerator(DataGenerator(m_data->currentData().toInt()));   // drops a file, data set, IDX or .npy source
        if (!wasFile) {
            t.data.samples = m_samples->value();
            t.data.noise = m_noise->value();
        }
        twoClass = t.data.generator == DataGenerator::Moons || t.data.generator == DataGenerator::Circles
                   || t.data.generator == DataGenerator::Xor;
        t.data.classes = twoClass ? 2 : wasFile ? std::max(2, t.data.classes) : m_classes->value();
        t.data.seed = std::uint64_t(m_seed->value());
    }
    t.seed = std::uint64_t(m_seed->value());
    t.maxNorm = m_maxNorm->value();
    t.optimizer = OptimizerKind(m_optimizer->currentData().toInt());
    t.lr = m_lr->value();
    t.lrSchedule = LrSchedule(m_schedule->currentData().toInt());
    t.batch = m_batch->value();
    t.epochs = m_epochs->value();
    t.gradient = GradientKind(m_gradient->currentData().toInt());
    t.loss = LossKind(m_loss->currentData().toInt());
    Activation a = s.layers.empty() ? Activation{} : s.layers[0].activation;
    const ActivationType chosen = ActivationType(m_activation->currentData().toInt());
    const int K = twoClass ? 2 : t.data.classes;
    // A new shape (units, activation, inputs, classes) is a new, untrained network. A file's
    // width and classes are its own: the trainer checks them against trained weights.
    const bool reshape = !s.hasTraining || m_units->value() != s.n() || chosen != a.type || s.layers.size() != 1
                         || (!file && (s.U.cols() != 2 || (!s.readout.empty() && s.readout.outputs() != K)));
    s.hasTraining = true;
    if (reshape) {
        if (!s.readout.empty())
            emit message(tr("A new network shape (%1): the trained weights were dropped; Undo brings them back").arg(what));
        a.type = chosen;
        const TrainingSettings keep = t;
        s = withUntrainedNetwork(std::move(s), m_units->value(), a);
        s.training = keep;
    }
    emit sceneEdited(std::make_shared<const Scene>(std::move(s)), what, 0);
}

void TrainPanel::clearRun(const QString& why)
{
    const Dataset none;
    m_decision->setData(nullptr, none, none, {});
    m_curves->setHistory({});
    m_diag->setHistory({}, 0);
    m_embedding->setEmbedding(Eigen::MatrixXd(0, 2), {});
    m_images->clear();
    m_imageTest.reset();
    setPlotTitle(m_decision, tr("Decision regions (press Play)"));
    setStatus(tr("No run shown: %1.").arg(why));
    m_dataInfo->setText(specSummary());
    m_showsRun = false;
    if (m_shownX->count() > 1) {   // the controller starts again from x₁, x₂ too
        m_shownX->setCurrentIndex(0);
        m_shownY->setCurrentIndex(1);
    }
}

void TrainPanel::setShownInputs(int d)
{
    // Only data with more than two inputs has a choice; the lists follow its width.
    const bool choice = d > 2;
    m_shownRow->setEnabled(choice);
    m_shownRow->setToolTip(choice ? QString() : tr("Data with more than two inputs: pick the two the regions span"));
    if (m_shownX->count() == std::max(d, 0)) return;
    const QSignalBlocker a(m_shownX), b(m_shownY);
    m_shownX->clear();
    m_shownY->clear();
    for (int i = 0; i < d; ++i) {
        m_shownX->addItem(QString::fromStdString(inputName(i)));
        m_shownY->addItem(QString::fromStdString(inputName(i)));
    }
    m_shownX->setCurrentIndex(0);
    m_shownY->setCurrentIndex(std::min(1, d - 1));
}

void TrainPanel::showProblem(const QString& problem)
{
    m_showsRun = true;   // setScene leaves it alone
    setStatus(tr("Cannot train: %1").arg(problem));
}

void TrainPanel::setCompact(bool compact)
{
    // The data row goes with the settings (its two lines at the larger font are the loss
    // plot's axes at 1366×768); Settings… brings both back.
    m_showSettings->setChecked(false);
    m_showSettings->setVisible(compact);
    m_settings->setVisible(!compact);
    m_dataInfo->setVisible(!compact);
    // Pace goes with them, and the status keeps two lines instead of three: at the larger font
    // that row is the training plots' height at 1366×768.
    m_pace->setVisible(!compact);
    m_paceLabel->setVisible(!compact);
    static_cast<StatusLines*>(m_status)->setLines(compact ? 2 : 3);
}

void TrainPanel::setProgress(const QString& text, int done, int total)
{
    m_progress->setRange(0, std::max(0, total));   // 0..0: Qt's busy bar
    m_progress->setValue(total > 0 ? std::clamp(done, 0, total) : 0);
    m_progress->setFormat(text);
    m_progress->setVisible(m_running);
}

void TrainPanel::setRunning(bool running)
{
    if (!running) m_progress->setVisible(false);
    m_running = running;
    m_play->setText(running ? tr("Pause") : tr("▶ Play"));
    m_step->setEnabled(!running);
    m_reset->setEnabled(!running);
}

// The status keeps three lines (two when compact) and a long one is cut: its tooltip always holds
// the whole text, so nothing said is lost (GUI thread).
void TrainPanel::setStatus(const QString& text)
{
    m_status->setText(text);
    m_status->setToolTip(text);
}

void TrainPanel::show(const DecisionMap* map, const Dataset& train, const Dataset& test, const std::vector<int>& predicted,
                      const std::vector<EpochLog>& history, const Eigen::MatrixXd& embedding, bool running, const QString& problem,
                      const QString& note)
{
    const bool images = train.isImage();
    if (images != m_imageMode) arrange(images);
    setShownInputs(images ? 0 : int(train.X.cols()));   // no regions to span for images
    if (!images) m_decision->setData(map, train, test, predicted);
    m_curves->setHistory(history);
    m_diag->setHistory(history, train.size());
    // Regression targets have no classes: the points are drawn in one colour (label 0), with no
    // regions, accuracy or "misclassified" (argmax of y means nothing there).
    const bool classes = !train.labels.empty();
    std::vector<int> labels(train.labels);
    labels.insert(labels.end(), test.labels.begin(), test.labels.end());
    if (!classes) labels.assign(size_t(train.size() + test.size()), 0);
    if (!images) m_embedding->setEmbedding(embedding, labels);
    m_showsRun = !history.empty() || !problem.isEmpty();
    // The data row carries how the data is used (mse on labels): the status line stays short.
    const bool paused = note.startsWith("paused");
    m_dataInfo->setText(dataSummary(m_scene->training.data, train, test) + (!note.isEmpty() && !paused ? " · " + note : QString()));
    if (!history.empty()) {
        const EpochLog& h = history.back();
        QString text = classes ? tr("epoch %1 · loss %2 · train accuracy %3 · test accuracy %4 · %5 misclassified")
                                     .arg(h.epoch).arg(h.trainLoss, 0, 'g', 3).arg(h.trainAccuracy, 0, 'f', 3).arg(h.testAccuracy, 0, 'f', 3)
                                     .arg(images ? tr("%1 test images").arg(m_images->misclassified()) : QString::number(m_decision->misclassified()))
                               : tr("epoch %1 · train loss %2 · test loss %3 (regression)").arg(h.epoch).arg(h.trainLoss, 0, 'g', 3).arg(h.testLoss, 0, 'g', 3);
        text += tr(" · ‖W‖₂ = %1 · %2 forward + %3 adjoint iterations per point · %4 ms per epoch")
                    .arg(h.spectralNorm, 0, 'f', 3)
                    .arg(double(h.forwardIterations) / std::max(1, train.size()), 0, 'f', 1)
                    .arg(double(h.adjointIterations) / std::max(1, train.size()), 0, 'f', 1)
                    .arg(1e3 * h.seconds, 0, 'f', 1);
        if (h.unconverged > 0) text += tr(" · %1 points stopped at the iteration limit").arg(h.unconverged);
        if (paused) text += " · " + note;
        if (running) text += tr(" · the other panels show the weights when the run pauses");
        setStatus(problem.isEmpty() ? text : tr("Stopped: %1 (%2)").arg(problem, text));
        if (!images) setPlotTitle(m_decision, classes ? tr("Decision regions, epoch %1").arg(h.epoch) : tr("Data, epoch %1 (regression: no classes)").arg(h.epoch));
    } else if (!problem.isEmpty()) {
        setStatus(tr("Stopped: %1").arg(problem));
    } else if (paused) {
        setStatus(note.left(1).toUpper() + note.mid(1));   // paused inside the first epoch
    }
    setRunning(running);
}

}  // namespace opteq
