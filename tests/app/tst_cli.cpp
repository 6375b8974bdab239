// SPDX-License-Identifier: GPL-3.0-or-later
// The opteq command line: output matches the library, bad input exits 2.
#include "Dataset.h"
#include "DeepGenerator.h"
#include "SceneSolution.h"
#include "Trainer.h"
#include "Npy.h"
#include "SceneIO.h"
#include "Solve.h"
#include "CliTestHelpers.h"
#include "TestHelpers.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

using namespace opteq;

namespace {
QString lesson(const char* name) { return sourcePath(QString("resources/lessons/") + name); }
}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void trainWritesAReopenableTrainedSceneItsLogAndPredictsLabels()
    {
        // An untrained 16-unit tanh layer (no readout) on moons: train 40 epochs, then predict
        // the data's points with the trained scene; the labels match the log's accuracy.
        QTemporaryDir dir;
        Activation tanh;
        tanh.type = ActivationType::Tanh;
        Scene s = withUntrainedNetwork(defaultScene(), 16, tanh);
        s.solver.method = Method::Anderson;
        s.solver.tol = 1e-6;
        s.hasTraining = true;
        s.training.epochs = 40;
        s.training.testFraction = 0.0;
        QVERIFY2(s.validate().empty(), s.validate().c_str());
        const QString scenePath = dir.filePath("net.opteq.json");
        QVERIFY(saveScene(s, scenePath).empty());
        const QString trained = dir.filePath("trained.opteq.json"), log = dir.filePath("log.csv");
        Run r = opteqRun({"train", scenePath, "--out", trained, "--epochs", "30", "--log", log, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.err.contains("epoch 30/30"));   // the progress line
        const QJsonObject last = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(last["epoch"].toInt(), 30);
        // Measured, not constants: both cosines are numbers in (−1, 1], the counts are there.
        for (const char* key : {"cos_jacobian_free", "cos_unrolled"})
            QVERIFY2(last[key].isDouble() && last[key].toDouble() <= 1.0 && last[key].toDouble() > -1.0, r.out.constData());
        QVERIFY2(last["unconverged"].isDouble() && last["adjoint_unconverged"].isDouble(), r.out.constData());
        const double accuracy = last["train_accuracy"].toDouble();
        QVERIFY2(accuracy > 0.85, r.out.constData());
        QFile lf(log);
        QVERIFY(lf.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = lf.readAll().trimmed().split('\n');
        QCOMPARE(rows[0], QByteArray("epoch,train_loss,train_accuracy,test_loss,test_accuracy,forward_iterations,adjoint_iterations,spectral_norm,seconds,"
                                      "unconverged,adjoint_unconverged,cos_jacobian_free,cos_unrolled"));
        QCOMPARE(rows.size(), 31);
        const SceneResult t = loadScene(trained);
        QVERIFY2(t.ok(), t.error.c_str());
        QCOMPARE(t.scene->readout.outputs(), 2);
        QVERIFY(t.scene->hasTraining && t.scene->training == s.training);
        QVERIFY(spectralNorm(t.scene->W) <= s.training.maxNorm + 1e-9);
        // Predict the training points: label column, and the share right equals the log's.
        const Dataset data = generate(s.training.data);
        QByteArray csv = "x1,x2\n";
        for (int i = 0; i < data.size(); ++i) csv += QByteArray::number(data.X(i, 0), 'g', 17) + "," + QByteArray::number(data.X(i, 1), 'g', 17) + "\n";
        QFile in(dir.filePath("x.csv"));
        QVERIFY(in.open(QIODevice::WriteOnly));
        in.write(csv);
        in.close();
        r = opteqRun({"predict", trained, "--inputs", dir.filePath("x.csv"), "--out", dir.filePath("p.csv")});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile pf(dir.filePath("p.csv"));
        QVERIFY(pf.open(QIODevice::ReadOnly));
        const QList<QByteArray> pred = pf.readAll().trimmed().split('\n');
        QVERIFY(pred[0].contains(",y1,y2,label,"));
        const int labelCol = int(pred[0].split(',').indexOf("label"));
        int right = 0;
        for (int i = 1; i < pred.size(); ++i) right += pred[i].split(',')[labelCol].toInt() == data.labels[size_t(i - 1)];
        // The trainer's split shuffles (test fraction 0: every point is in the training set).
        OPTEQ_COMPARE_NEAR(double(right) / data.size(), accuracy, 1e-12);
        // No training object: a clear refusal.
        r = opteqRun({"train", lesson("01-contraction.opteq.json"), "--out", dir.filePath("x.opteq.json")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("no \"training\" object"));
    }

    // `opteq train --json` reports ‖W‖₂ of the W it writes, as every command computes it for that
    // scene: reloaded, its norm is the reported number bit for bit, and `opteq solve` says the same.
    // W rescaled to max_norm = 0.95 lands a few ulps either side of 0.95, and above 160 units the
    // epoch log's norm (Lanczos on W) and a Model's (Lanczos on WᵀW) differ in those ulps: here
    // train said 0.9499999999999998 and solve 0.9500000000000001 for the written file.
    void trainReportsTheNormOfTheSavedW()
    {
        QTemporaryDir dir;
        Activation tanh;
        tanh.type = ActivationType::Tanh;
        Scene s = withUntrainedNetwork(defaultScene(), 200, tanh);
        s.solver.method = Method::Anderson;
        s.solver.tol = 1e-6;
        s.hasTraining = true;
        s.training.lr = 0.05;   // large steps: ‖W‖₂ reaches max_norm within the run
        s.training.maxNorm = 0.95;
        s.training.seed = 2;
        s.training.testFraction = 0.0;
        QVERIFY2(s.validate().empty(), s.validate().c_str());
        const QString scenePath = dir.filePath("net.opteq.json"), trained = dir.filePath("trained.opteq.json");
        QVERIFY(saveScene(s, scenePath).empty());
        Run r = opteqRun({"train", scenePath, "--out", trained, "--epochs", "2", "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const double reported = QJsonDocument::fromJson(r.out).object()["spectral_norm"].toDouble();
        const SceneResult t = loadScene(trained);
        QVERIFY2(t.ok(), t.error.c_str());
        const double saved = t.scene->model().spectralNorm();
        OPTEQ_COMPARE_NEAR(saved, 0.95, 1e-12);   // at the cap
        QVERIFY2(reported == saved, qPrintable(QString("train reported %1, the saved W has %2").arg(reported, 0, 'g', 17).arg(saved, 0, 'g', 17)));
        r = opteqRun({"solve", trained, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(QJsonDocument::fromJson(r.out).object()["spectral_norm"].toDouble() == reported);
    }

    // `opteq spectrum --json`: one entry per start, eigenvalues of J at that start's end point
    // (checked against a general eigen-solve of J here), ρ(J) ≤ ‖W‖₂², cond(I − J) from its SVD.
    void spectrumJsonMatchesJ()
    {
        const QString file = lesson("09-deep-two-layer.opteq.json");
        const Run r = opteqRun({"spectrum", file, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray results = QJsonDocument::fromJson(r.out).object()["results"].toArray();
        const Scene s = *loadScene(file).scene;
        const Model m = s.model();
        const std::vector<Trace> traces = solveBatch(SolverContext(m, s.input, s.solver, s.prior), s.effectiveStarts());
        QCOMPARE(results.size(), qsizetype(traces.size()));
        for (int i = 0; i < results.size(); ++i) {
            const QJsonObject o = results[i].toObject();
            const Eigen::MatrixXd J = m.jacobianT(traces[i].z, m.bias(s.input));
            Eigen::VectorXcd ev = Eigen::EigenSolver<Eigen::MatrixXd>(J, false).eigenvalues();
            std::vector<double> ref;
            for (Eigen::Index k = 0; k < ev.size(); ++k) ref.push_back(ev(k).real());
            std::sort(ref.rbegin(), ref.rend());
            const QJsonArray got = o["eigenvalues"].toArray();
            QCOMPARE(got.size(), qsizetype(ref.size()));
            for (int k = 0; k < got.size(); ++k) OPTEQ_COMPARE_NEAR(got[k].toDouble(), ref[size_t(k)], 1e-7);
            OPTEQ_COMPARE_NEAR(o["spectral_radius"].toDouble(), ref.front(), 1e-7);
            OPTEQ_COMPARE_NEAR(o["bound"].toDouble(), m.spectralNorm() * m.spectralNorm(), 1e-12);
            const Eigen::JacobiSVD<Eigen::MatrixXd> svd(Eigen::MatrixXd::Identity(J.rows(), J.cols()) - J);
            OPTEQ_COMPARE_NEAR(o["cond"].toDouble(), svd.singularValues()(0) / svd.singularValues()(J.rows() - 1), 1e-6);
        }
    }

    void fixsetJsonGivesTheAnalyticSet_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QList<double>>("point");
        QTest::addColumn<QList<double>>("direction");
        QTest::addColumn<QList<double>>("selected");
        QTest::newRow("ray") << lesson("04-ray-of-equilibria.opteq.json") << "ray" << QList<double>{0, 0.8} << QList<double>{1, 0}
                             << QList<double>{};
        QTest::newRow("halpern") << lesson("05-halpern-anchor.opteq.json") << "ray" << QList<double>{0, 0.8}
                                 << QList<double>{1, 0} << QList<double>{1.5, 0.8};
        QTest::newRow("segment") << lesson("11-segment-hsd.opteq.json") << "segment" << QList<double>{-1, 0.8}
                                 << QList<double>{2, 0} << QList<double>{-0.6, 0.8};
        QTest::newRow("contraction") << lesson("01-contraction.opteq.json") << "point" << QList<double>{} << QList<double>{}
                                     << QList<double>{};
    }
    void fixsetJsonGivesTheAnalyticSet()
    {
        QFETCH(QString, file);
        QFETCH(QString, kind);
        QFETCH(QList<double>, point);
        QFETCH(QList<double>, direction);
        QFETCH(QList<double>, selected);
        const Run r = opteqRun({"fixset", file, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["kind"].toString(), kind);
        QCOMPARE(o["dimension"].toInt(), kind == "point" ? 0 : 1);
        for (int k = 0; k < point.size(); ++k) OPTEQ_COMPARE_NEAR(o["point"].toArray()[k].toDouble(), point[k], 1e-6);
        for (int k = 0; k < direction.size(); ++k)
            OPTEQ_COMPARE_NEAR(o["directions"].toArray()[0].toArray()[k].toDouble(), direction[k], 1e-6);
        QCOMPARE(o["selected"].isNull(), selected.isEmpty());
        for (int k = 0; k < selected.size(); ++k) OPTEQ_COMPARE_NEAR(o["selected"].toArray()[k].toDouble(), selected[k], 1e-6);
    }

    // ‖W‖₂ = 1, identity σ, W = diag(1, 0.5) and a bias along ker(I − WᵀW) = e₁: T z = (z₁ + 0.5,
    // z₂/4 + 0.6) moves every start by the same 0.5 forever. `opteq solve` says Fix T appears empty
    // (max_iter, a constant drift), and `opteq fixset` calls it empty (it said "unknown": no start
    // diverged, and no end point polished onto a fixed point).
    void fixsetIsEmptyWhereSolveSeesTheDrift()
    {
        QTemporaryDir dir;
        Scene s = defaultScene();
        s.layers[0].activation.type = ActivationType::Identity;
        s.W = Eigen::Vector2d(1.0, 0.5).asDiagonal();
        s.input = Eigen::Vector2d(0.5, 0.6);
        s.solver.maxIter = 300;
        QVERIFY2(s.validate().empty(), s.validate().c_str());
        const QString path = dir.filePath("drift.opteq.json");
        QVERIFY(saveScene(s, path).empty());
        Run r = opteqRun({"solve", path, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray results = QJsonDocument::fromJson(r.out).object()["results"].toArray();
        QCOMPARE(results.size(), qsizetype(s.starts.size()));
        for (const QJsonValue& v : results) {
            QCOMPARE(v.toObject()["status"].toString(), QString("max_iter"));
            QVERIFY2(v.toObject()["note"].toString().contains("Fix T appears empty"), r.out.constData());
        }
        r = opteqRun({"fixset", path, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QVERIFY2(o["kind"].toString() == "empty", r.out.constData());
        QCOMPARE(o["selected"].isNull(), true);
        r = opteqRun({"fixset", path});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.startsWith("Fix T is empty: "), r.out.constData());
    }

    void solveJsonMatchesTheLibrary_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("contraction") << lesson("01-contraction.opteq.json");
        QTest::newRow("ray") << lesson("04-ray-of-equilibria.opteq.json");
        QTest::newRow("deep") << lesson("09-deep-two-layer.opteq.json");
    }
    void solveJsonMatchesTheLibrary()
    {
        QFETCH(QString, file);
        const Run r = opteqRun({"solve", file, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject root = QJsonDocument::fromJson(r.out).object();
        const Scene s = *loadScene(file).scene;
        const Model m = s.model();
        OPTEQ_COMPARE_NEAR(root["spectral_norm"].toDouble(), m.spectralNorm(), 1e-12);
        QCOMPARE(root["unique"].toBool(), m.spectralNorm() < 1);
        const std::vector<Trace> traces = solveBatch(SolverContext(m, s.input, s.solver, s.prior), s.effectiveStarts());
        const QJsonArray results = root["results"].toArray();
        QCOMPARE(results.size(), qsizetype(traces.size()));
        for (int i = 0; i < results.size(); ++i) {
            const QJsonObject o = results[i].toObject();
            QCOMPARE(o["status"].toString(), QString(statusName(traces[i].status)));
            QCOMPARE(o["iterations"].toInt(), traces[i].iterations);
            const QJsonArray z = o["z"].toArray();
            for (int k = 0; k < z.size(); ++k) QCOMPARE(z[k].toDouble(), traces[i].z(k));
            OPTEQ_COMPARE_NEAR(o["objective"].toDouble(), traces[i].finalObjective, 1e-14);
        }
    }

    void badInputExitsTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no args") << QStringList{} << "usage";
        QTest::newRow("unknown command") << QStringList{"frobnicate", "x"} << "unknown command";
        QTest::newRow("missing file") << QStringList{"solve", "/nonexistent.opteq.json"} << "/nonexistent.opteq.json: file: no such file";
        QTest::newRow("bad grid") << QStringList{"basins", lesson("01-contraction.opteq.json"), "--grid", "zero", "--out", "x.csv"} << "--grid";
        QTest::newRow("no out") << QStringList{"trace", lesson("01-contraction.opteq.json")} << "--out";
        QTest::newRow("bad suffix") << QStringList{"trace", lesson("01-contraction.opteq.json"), "--out", "x.txt"} << ".csv, .json or .npy";
        QTest::newRow("bad prior") << QStringList{"basins", lesson("01-contraction.opteq.json"), "--grid", "8", "--prior", "maybe", "--out", "x.csv"} << "--prior takes on, off or both";
        QTest::newRow("predict without inputs") << QStringList{"predict", lesson("01-contraction.opteq.json"), "--out", "x.csv"} << "--inputs";
        QTest::newRow("predict missing inputs") << QStringList{"predict", lesson("01-contraction.opteq.json"), "--inputs", "/nonexistent.csv", "--out", "x.csv"} << "--inputs /nonexistent.csv: no such file";
    }
    void badInputExitsTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = opteqRun(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    }

    void badSceneExitsTwoNamingTheField()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.opteq.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray json = sceneToJson(defaultScene());
        json.replace("\"relu\"", "\"swish\"");
        f.write(json);
        f.close();
        const Run r = opteqRun({"solve", path});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("model.layers[0].activation.type"), r.err.constData());
    }

    void traceLandscapeAndBasinsWriteTheirRows()
    {
        QTemporaryDir dir;
        const QString file = lesson("01-contraction.opteq.json");
        const Scene s = *loadScene(file).scene;
        const Model model = s.model();
        const std::vector<Trace> traces = solveBatch(SolverContext(model, s.input, s.solver), s.effectiveStarts());
        int rows = 0;
        for (const Trace& t : traces) rows += t.iterations + 1;

        Run r = opteqRun({"trace", file, "--out", dir.filePath("t.csv")});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile csv(dir.filePath("t.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines[0], QByteArray("method,start,iteration,z1,z2,abs_residual,rel_residual,objective"));
        QCOMPARE(lines.size(), rows + 1);
        const QList<QByteArray> last = lines.back().split(',');
        QCOMPARE(last[0], QByteArray("picard"));
        QCOMPARE(last[1].toInt(), int(traces.size()));   // starts numbered from 1
        QCOMPARE(last[3].toDouble(), traces.back().z(0));
        QCOMPARE(last[5].toDouble(), traces.back().residual);

        r = opteqRun({"trace", file, "--out", dir.filePath("t.json")});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile js(dir.filePath("t.json"));
        QVERIFY(js.open(QIODevice::ReadOnly));
        const QJsonObject root = QJsonDocument::fromJson(js.readAll()).object();
        QCOMPARE(root["traces"].toArray().size(), qsizetype(traces.size()));

        // Lesson 7 races Anderson and FISTA against Picard: every solver is in the trace, each
        // row names its method, and each method's rows are that method's own iterates.
        const QString race = lesson("07-acceleration.opteq.json");
        const Scene rs = *loadScene(race).scene;
        QCOMPARE(int(rs.compare.size()), 2);
        r = opteqRun({"trace", race, "--out", dir.filePath("race.csv")});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile rc(dir.filePath("race.csv"));
        QVERIFY(rc.open(QIODevice::ReadOnly));
        QMap<QByteArray, int> perMethod;
        for (const QByteArray& line : rc.readAll().trimmed().split('\n').mid(1)) ++perMethod[line.split(',')[0]];
        const Model rm = rs.model();
        for (Method m : {rs.solver.method, rs.compare[0], rs.compare[1]}) {
            SolverSettings st = rs.solver;
            st.method = m;
            int expected = 0;
            for (const Trace& t : solveBatch(SolverContext(rm, rs.input, st), rs.effectiveStarts())) expected += t.iterations + 1;
            QCOMPARE(perMethod.value(QByteArray(SolverSettings::methodName(m))), expected);
        }
        QCOMPARE(perMethod.size(), 3);
        r = opteqRun({"trace", race, "--out", dir.filePath("race.json")});
        QFile rj(dir.filePath("race.json"));
        QVERIFY(rj.open(QIODevice::ReadOnly));
        const QJsonArray rt = QJsonDocument::fromJson(rj.readAll()).object()["traces"].toArray();
        QCOMPARE(rt.size(), qsizetype(3 * rs.effectiveStarts().size()));
        QCOMPARE(rt.last().toObject()["method"].toString(), QString(SolverSettings::methodName(rs.compare[1])));
        QCOMPARE(rt.last().toObject()["start"].toInt(), int(rs.effectiveStarts().size()));
        r = opteqRun({"solve", race, "--json"});
        const QJsonObject solved = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(solved["results"].toArray()[0].toObject()["method"].toString(), QString(SolverSettings::methodName(rs.solver.method)));
        QCOMPARE(solved["compare"].toArray().size(), qsizetype(2));

        r = opteqRun({"landscape", file, "--grid", "12", "--out", dir.filePath("l.csv")});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile l(dir.filePath("l.csv"));
        QVERIFY(l.open(QIODevice::ReadOnly));
        QCOMPARE(l.readAll().trimmed().split('\n').size(), 12 * 12 + 1);

        r = opteqRun({"basins", file, "--grid", "10", "--out", dir.filePath("b.csv")});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile b(dir.filePath("b.csv"));
        QVERIFY(b.open(QIODevice::ReadOnly));
        const QList<QByteArray> bl = b.readAll().trimmed().split('\n');
        QCOMPARE(bl.size(), 10 * 10 + 1);
        QVERIFY(bl[1].endsWith(",converged"));
    }

    // Issue #19: `opteq landscape` slices a (30, 30) ReLU scene with units at 0 through the
    // window's plane (within the face of dom f at z*), so E is finite around z* there too.
    void landscapeOfADeepReluSceneIsTheWindowsSlice()
    {
        QTemporaryDir dir;
        DeepSpec spec;
        LayerSpec l;
        l.size = 30;
        l.activation.type = ActivationType::Relu;
        spec.layers = {l, l};
        const Scene s = withDeepModel(defaultScene(), spec);
        const QString file = dir.filePath("relu.opteq.json");
        QVERIFY(saveScene(s, file).empty());
        const Run r = opteqRun({"landscape", file, "--grid", "32", "--out", dir.filePath("l.csv")});
        QVERIFY2(r.code == 0, r.err.constData());
        SolutionOptions o;
        o.grid = 32;
        const SceneSolution sol = solveScene(*loadScene(file).scene, o);
        QFile csv(dir.filePath("l.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 32 * 32 + 1);
        const GridSpec& g = sol.view.grid;
        int near = 0, finite = 0;
        for (int k = 0; k < 32 * 32; ++k) {
            const QList<QByteArray> f = lines[k + 1].split(',');
            const double x = f[0].toDouble(), y = f[1].toDouble(), e = f[2].toDouble();
            OPTEQ_COMPARE_NEAR(x, g.x(k % 32), 1e-9);
            OPTEQ_COMPARE_NEAR(y, g.y(k / 32), 1e-9);
            const double w = sol.landscape.values[size_t(k)];
            QCOMPARE(std::isfinite(e), std::isfinite(w));
            if (std::isfinite(w)) OPTEQ_COMPARE_NEAR(e, w, 1e-9 * (1 + std::abs(w)));
            // The plane's origin is z*: its cells within a tenth of the box.
            if (std::abs(x) <= 0.1 * (g.x1 - g.x0) && std::abs(y) <= 0.1 * (g.y1 - g.y0)) {
                ++near;
                finite += std::isfinite(e);
            }
        }
        QVERIFY2(near > 0 && finite >= near * 3 / 4, qPrintable(QString("%1 of %2 cells near z* finite").arg(finite).arg(near)));
    }

    void predictMatchesPerInputSolves_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("contraction") << lesson("01-contraction.opteq.json");
        QTest::newRow("deep") << lesson("09-deep-two-layer.opteq.json");
        QTest::newRow("sparsity prior") << lesson("06-sparsity-prior.opteq.json");
    }
    void predictMatchesPerInputSolves()
    {
        QFETCH(QString, file);
        const Scene s = *loadScene(file).scene;
        const Model model = s.model();
        const SolverContext ctx(model, s.input, s.solver, s.prior);
        QTemporaryDir dir;
        // Inputs with a header and a label column (ignored), as a training CSV would have.
        const int N = 23, d = s.d();
        Eigen::MatrixXd X(d, N);
        QByteArray csv;
        for (int i = 0; i < d; ++i) csv += "x" + QByteArray::number(i + 1) + ",";
        csv += "label\n";
        for (int r = 0; r < N; ++r) {
            for (int i = 0; i < d; ++i) {
                X(i, r) = std::sin(1.3 * r + 0.7 * i) * 1.5;
                csv += QByteArray::number(X(i, r), 'g', 17) + ",";
            }
            csv += QByteArray::number(r % 2) + "\n";
        }
        QFile in(dir.filePath("x.csv"));
        QVERIFY(in.open(QIODevice::WriteOnly));
        in.write(csv);
        in.close();
        Run r = opteqRun({"predict", file, "--inputs", dir.filePath("x.csv"), "--out", dir.filePath("z.npy"), "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("\"inputs\": 23"), r.out.constData());
        QFile out(dir.filePath("z.npy"));
        QVERIFY(out.open(QIODevice::ReadOnly));
        const QByteArray raw = out.readAll();
        const NpyMatrix z = parseNpy(std::string(raw.constData(), size_t(raw.size())));
        QVERIFY2(z.ok(), z.error.c_str());
        QCOMPARE(z.rows, size_t(N));
        QCOMPARE(z.cols, size_t(model.n()));
        TraceOptions o;
        o.storeIterates = false;
        for (int j = 0; j < N; ++j) {
            const Trace t = solve(ctx.withBias(model.bias(X.col(j))), Eigen::VectorXd::Zero(model.n()), o);
            QCOMPARE(t.status, SolveStatus::Converged);
            for (int i = 0; i < model.n(); ++i) OPTEQ_COMPARE_NEAR(z.data[size_t(j) * model.n() + i], t.z(i), 1e-7);
        }
        // The CSV output: z1..zn, iterations, status, one row per input.
        r = opteqRun({"predict", file, "--inputs", dir.filePath("x.csv"), "--out", dir.filePath("z.csv")});
        QVERIFY2(r.code == 0, r.err.constData());
        QFile zc(dir.filePath("z.csv"));
        QVERIFY(zc.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = zc.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), N + 1);
        QVERIFY2(lines[0].startsWith("z1,") && lines[0].endsWith(",iterations,status"), lines[0].constData());
        QVERIFY(lines[1].endsWith(",converged"));
    }

    void predictNamesTheBadRowAndColumn_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QString>("message");
        QTest::newRow("not a number") << QByteArray("x1,x2\n1,2\n3,abc\n") << "row 2 (line 3), column \"x2\": abc is not a number";
        QTest::newRow("nan") << QByteArray("x1,x2\nnan,2\n") << "row 1, x1 is not a finite number";
        QTest::newRow("wrong width") << QByteArray("x1,x2,x3\n1,2,3\n") << "3 input columns, but the scene's U takes d = 2";
        QTest::newRow("short row") << QByteArray("x1,x2\n1,2\n3\n") << "row 2 (line 3) has 1 values";
        QTest::newRow("empty") << QByteArray("x1,x2\n") << "no input rows";
    }
    void predictNamesTheBadRowAndColumn()
    {
        QFETCH(QByteArray, csv);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QFile in(dir.filePath("x.csv"));
        QVERIFY(in.open(QIODevice::WriteOnly));
        in.write(csv);
        in.close();
        const Run r = opteqRun({"predict", lesson("01-contraction.opteq.json"), "--inputs", dir.filePath("x.csv"), "--out", dir.filePath("z.csv")});
        QCOMPARE(r.code, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(!QFile::exists(dir.filePath("z.csv")));
    }

    void basinsSummaryAndNpy()
    {
        QTemporaryDir dir;
        // Lesson 7: ‖W‖₂ = 0.99, one equilibrium; every start ends there, to the tolerance.
        Run r = opteqRun({"basins", lesson("07-acceleration.opteq.json"), "--grid", "16", "--out", dir.filePath("b.npy"), "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["cells"].toInt(), 256);
        QCOMPARE(o["converged"].toInt(), 256);
        QCOMPARE(o["diverged"].toInt(), 0);
        QCOMPARE(o["max_iter"].toInt(), 0);
        QCOMPARE(o["distinct_ends"].toInt(), 1);
        QVERIFY(o["end_spread"].toDouble() < 1e-5);
        QFile b(dir.filePath("b.npy"));
        QVERIFY(b.open(QIODevice::ReadOnly));
        const QByteArray raw = b.readAll();
        const NpyMatrix m = parseNpy(std::string(raw.constData(), size_t(raw.size())));
        QVERIFY2(m.ok(), m.error.c_str());
        QCOMPARE(m.rows, size_t(256));
        QCOMPARE(m.cols, size_t(9));
        QCOMPARE(m.data[8], double(int(SolveStatus::Converged)));

        // Lesson 4, the ray: many distinct ends without a prior; Halpern picks one for every start.
        r = opteqRun({"basins", lesson("05-halpern-anchor.opteq.json"), "--grid", "8", "--prior", "both", "--out", dir.filePath("h.csv"), "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject h = QJsonDocument::fromJson(r.out).object();
        QVERIFY2(h["without_prior"].toObject()["distinct_ends"].toInt() > 1, r.out.constData());
        QCOMPARE(h["converged"].toInt(), 64);
        QCOMPARE(h["distinct_ends"].toInt(), 1);
        QFile hc(dir.filePath("h.csv"));
        QVERIFY(hc.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = hc.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 2 * 64 + 1);
        QVERIFY(lines[0].startsWith("prior,i,j,"));
        QVERIFY(lines[1].startsWith("off,") && lines.back().startsWith("on,"));
    }

    void unwritableOutputExitsOne()
    {
        const Run r = opteqRun({"trace", lesson("01-contraction.opteq.json"), "--out", "/nonexistent/dir/t.csv"});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("cannot write"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
