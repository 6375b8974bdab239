// SPDX-License-Identifier: GPL-3.0-or-later
#include "ImagePanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace opteq {

ImagePanel::ImagePanel(QWidget* parent) : QTabWidget(parent)
{
    auto* samples = new QWidget;
    auto* sl = new QVBoxLayout(samples);
    sl->setContentsMargins(2, 2, 2, 2);
    auto* row = new QHBoxLayout;
    m_class = new QComboBox;
    m_class->setToolTip(tr("Show the test images of one true class"));
    m_wrongOnly = new QCheckBox(tr("misclassified only"));
    row->addWidget(new QLabel(tr("class")));
    row->addWidget(m_class);
    row->addWidget(m_wrongOnly);
    row->addStretch(1);
    sl->addLayout(row);
    m_grid = new ImageGrid;
    sl->addWidget(m_grid, 1);
    addTab(samples, tr("Test images"));
    m_confusion = new ConfusionView;
    addTab(m_confusion, tr("Confusion matrix"));
    auto* filters = new QWidget;
    auto* fl = new QVBoxLayout(filters);
    fl->setContentsMargins(2, 2, 2, 2);
    auto* frow = new QHBoxLayout;
    m_order = new QComboBox;
    m_order->addItem(tr("largest ‖U row‖ first"), int(FilterView::Order::Norm));
    m_order->addItem(tr("most often active first"), int(FilterView::Order::Activity));
    m_order->addItem(tr("unit number"), int(FilterView::Order::Index));
    m_order->setToolTip(tr("Which units' filters are shown first: by the norm of their row of U, or by how many test images make "
                           "them active (|zᵢ*| > 10⁻³)"));
    frow->addWidget(new QLabel(tr("order")));
    frow->addWidget(m_order);
    frow->addStretch(1);
    fl->addLayout(frow);
    m_filters = new FilterView;
    fl->addWidget(m_filters, 1);
    addTab(filters, tr("Input filters"));
    m_strip = new EquilibriumStripView;
    clear();
    connect(m_class, &QComboBox::activated, this, [this] { m_grid->setFilter(m_class->currentData().toInt(), m_wrongOnly->isChecked()); });
    connect(m_wrongOnly, &QCheckBox::toggled, this, [this] { m_grid->setFilter(m_class->currentData().toInt(), m_wrongOnly->isChecked()); });
    connect(m_order, &QComboBox::activated, this, [this] { m_filters->setOrder(FilterView::Order(m_order->currentData().toInt())); });
    connect(m_grid, &ImageGrid::imageClicked, this, [this](int r, Qt::KeyboardModifiers mods) {
        m_grid->setChosen(r);
        emit imageChosen(r);
        if (!(mods & Qt::ControlModifier)) emit openImage(r);
    });
}

int ImagePanel::misclassified() const
{
    if (!m_report || !m_report->test || m_report->test->confusion.size() == 0) return -1;
    const Eigen::MatrixXi& c = m_report->test->confusion;
    return c.sum() - c.diagonal().sum();
}

void ImagePanel::clear()
{
    m_test.reset();
    m_report.reset();
    m_grid->setData(nullptr, nullptr);
    m_confusion->setData(nullptr, nullptr);
    m_filters->setData(Eigen::MatrixXd(), 0, 0, nullptr);
    m_strip->setEquilibrium(ImageEquilibrium{}, QString(), 1e-6);
}

void ImagePanel::setFrame(const Scene& scene, std::shared_ptr<const Dataset> test, std::shared_ptr<const ImageReport> report,
                          const Eigen::VectorXd& input)
{
    // The class list follows the data (its names); the user's choice stays while it exists.
    const int K = test ? test->classes : 0;
    if (m_class->count() != K + 1) {
        const int keep = m_class->currentData().isValid() ? m_class->currentData().toInt() : -1;
        m_class->clear();
        m_class->addItem(tr("all"), -1);
        for (int k = 0; k < K; ++k) m_class->addItem(className(*test, k), k);
        m_class->setCurrentIndex(std::max(0, m_class->findData(keep)));
    }
    m_test = test;
    m_report = report;
    m_grid->setFilter(m_class->currentData().toInt(), m_wrongOnly->isChecked());
    m_grid->setData(test, report);
    m_confusion->setData(test, report);
    m_filters->setOrder(FilterView::Order(m_order->currentData().toInt()));
    m_filters->setData(scene.U, test ? test->imageRows : 0, test ? test->imageCols : 0, report);
    if (report && test && report->chosen.row >= 0 && report->chosen.row < test->size()) {
        const int r = report->chosen.row;
        const int truth = r < int(test->labels.size()) ? test->labels[size_t(r)] : -1;
        QString what = tr("test image %1 (%2").arg(r + 1).arg(className(*test, truth));
        what += report->chosen.predicted >= 0 ? tr(" → %1)").arg(className(*test, report->chosen.predicted)) : QString(")");
        // Marked as chosen only when it is the window's scene's input x, which the other tabs
        // solve (a scene file holds pixels to 4 digits, 1/255 apart); else the strip is a preview.
        const bool isInput = input.size() == test->X.cols() && (input.transpose() - test->X.row(r)).cwiseAbs().maxCoeff() < 1e-3;
        if (!isInput) what = tr("%1, a preview: the other tabs solve the scene's x until you click an image").arg(what);
        m_strip->setEquilibrium(report->chosen, what, scene.solver.tol);
        m_grid->setChosen(isInput ? r : -1);
    } else {
        m_strip->setEquilibrium(ImageEquilibrium{}, QString(), scene.solver.tol);
    }
}

}  // namespace opteq
