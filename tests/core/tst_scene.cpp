// SPDX-License-Identifier: GPL-3.0-or-later
// SCENES.md: round trips, and every kind of bad input rejected with the field named.
#include "SceneIO.h"
#include "TestHelpers.h"

#include <QDir>
#include <QTemporaryDir>

using namespace opteq;

namespace {
const char* kValid = R"({
  "format": "opteq-scene", "version": 1,
  "title": "Non-unique equilibria: a ray of fixed points",
  "notes": "Markdown shown in the lesson panel.",
  "model": {
    "layers": [ { "size": 2, "activation": { "type": "relu" } } ],
    "W": [[1.0, 0.0], [0.0, 0.5]],
    "U": [[1.0, 0.0], [0.0, 1.0]],
    "b": [0.0, 0.0],
    "regularizers": [ { "type": "l1", "weight": 0.1 } ]
  },
  "input": [0.0, 0.6],
  "solver": { "method": "picard", "tol": 1e-9, "max_iter": 2000 },
  "prior": { "type": "halpern", "anchor": [1.5, 0.0] },
  "starts": [[-1.0, 1.0], [2.0, -1.0]],
  "view": { "x": [-2, 2], "y": [-2, 2] }
})";

QByteArray replaced(const char* from, const char* to)
{
    QByteArray s(kValid);
    Q_ASSERT(s.contains(from));
    return s.replace(from, to);
}
}  // namespace

class TestScene : public QObject {
    Q_OBJECT
private slots:
    void parsesTheSpecExample()
    {
        const SceneResult r = parseScene(kValid);
        QVERIFY2(r.ok(), r.error.c_str());
        const Scene& s = *r.scene;
        QCOMPARE(s.n(), 2);
        QCOMPARE(s.layers[0].activation.type, ActivationType::Relu);
        QCOMPARE(s.regularizers.size(), size_t(1));
        QCOMPARE(s.prior.type, PriorType::Halpern);
        QCOMPARE(s.prior.anchor(0), 1.5);
        QCOMPARE(s.starts.size(), size_t(2));
        QCOMPARE(s.solver.maxIter, 2000);
        QVERIFY(s.view.hasBox);
    }

    void roundTrip()
    {
        Scene s = *parseScene(kValid).scene;
        s.layers[0].regularizers.push_back({RegularizerType::Box, 0, 0, -0.5, 2.0});
        s.regularizers.push_back({RegularizerType::L2, 0.3, 0.25});
        s.solver.method = Method::Anderson;
        s.solver.memory = 7;
        s.compare = {Method::Fista, Method::Picard};
        s.seed = 42;
        s.W(0, 1) = 0.1234567890123456789;
        s.notes = "Unicode: ‖W‖₂ ≤ 1, σ = prox_f";
        const Scene back = *parseScene(sceneToJson(s)).scene;
        QVERIFY(back == s);

        QTemporaryDir dir;
        const QString path = dir.filePath("x.opteq.json");
        QCOMPARE(saveScene(s, path), std::string());
        const SceneResult loaded = loadScene(path);
        QVERIFY(loaded.ok());
        QVERIFY(*loaded.scene == s);
        QVERIFY(defaultScene().validate().empty());
        QVERIFY(*parseScene(sceneToJson(defaultScene())).scene == defaultScene());
    }

    void deepPlaneRoundTrip()
    {
        QByteArray j = replaced(R"("view": { "x": [-2, 2], "y": [-2, 2] })",
                                R"("view": { "origin": [0, 0], "u": [1, 0], "v": [1, 1], "axes": [0, 1] })");
        const SceneResult r = parseScene(j);
        QVERIFY2(r.ok(), r.error.c_str());
        QVERIFY(r.scene->view.hasPlane);
        QVERIFY(*parseScene(sceneToJson(*r.scene)).scene == *r.scene);
    }

    // The optional "window" (issue #19): where the GUI opens the scene. Read, written back equal,
    // left out when empty, and replaceable on save without touching the scene.
    void windowRoundTrip()
    {
        const QByteArray j = replaced(R"("view": { "x": [-2, 2], "y": [-2, 2] })",
                                      R"("view": { "x": [-2, 2], "y": [-2, 2] }, "window": { "tab": "unit-layer", "phase_plane": true, "later": 1 })");
        const SceneResult r = parseScene(j);
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.scene->window.tab, std::string("unit-layer"));
        QVERIFY(r.scene->window.phasePlane);
        QVERIFY(*parseScene(sceneToJson(*r.scene)).scene == *r.scene);
        // Another window on save: the file says it, the scene in memory keeps its own.
        const SceneResult saved = parseScene(sceneToJson(*r.scene, SceneWindow{"train", false}));
        QVERIFY2(saved.ok(), saved.error.c_str());
        QCOMPARE(saved.scene->window, (SceneWindow{"train", false}));
        QCOMPARE(r.scene->window.tab, std::string("unit-layer"));
        // Without one, no key is written and the reader leaves it empty.
        const Scene plain = *parseScene(kValid).scene;
        QVERIFY(plain.window.empty());
        QVERIFY(!sceneToJson(plain).contains("\"window\""));
        // Every tab name the window knows reads back.
        for (const std::string& tab : sceneWindowTabs()) {
            Scene s = plain;
            s.window.tab = tab;
            const SceneResult back = parseScene(sceneToJson(s));
            QVERIFY2(back.ok() && back.scene->window.tab == tab, back.error.c_str());
        }
    }

    // A parameter the activation type does not use ("slope" on relu) is ignored, as the writer
    // never saves it: the scene survives save and reload unchanged (the fuzzer's find).
    void unusedActivationParametersDoNotBreakTheRoundTrip()
    {
        const QByteArray j = replaced(R"({ "type": "relu" })", R"({ "type": "relu", "slope": 0.6, "lo": 3, "lambda": 7 })");
        const SceneResult r = parseScene(j);
        QVERIFY2(r.ok(), r.error.c_str());
        QCOMPARE(r.scene->layers[0].activation, Activation{});
        QVERIFY(*parseScene(sceneToJson(*r.scene)).scene == *r.scene);
    }

    void rejectsBadInputNamingTheField_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        QTest::addRow("not json") << QByteArray("{ model: ") << "not valid JSON";
        QTest::addRow("empty") << QByteArray("   ") << "empty";
        static const char binary[] = "\x00\x01\xff\xfe garbage";
        QTest::addRow("binary") << QByteArray(binary, sizeof binary - 1) << "file";
        QTest::addRow("array top") << QByteArray("[1,2]") << "top level";
        QTest::addRow("missing model") << replaced(R"("model": {)", R"("modelx": {)") << "model: missing";
        QTest::addRow("missing input") << replaced(R"("input": [0.0, 0.6],)", "") << "input: missing";
        QTest::addRow("unknown activation") << replaced(R"("relu")", R"("swish")") << "model.layers[0].activation.type";
        QTest::addRow("wrong type") << replaced(R"("size": 2)", R"("size": "two")") << "model.layers[0].size";
        QTest::addRow("zero size") << replaced(R"("size": 2)", R"("size": 0)") << "model.layers[0].size";
        QTest::addRow("negative size") << replaced(R"("size": 2)", R"("size": -3)") << "model.layers[0].size";
        QTest::addRow("huge size") << replaced(R"("size": 2)", R"("size": 100000000)") << "4096";
        QTest::addRow("W ragged") << replaced("[0.0, 0.5]]", "[0.5]]") << "model.W[1]";
        QTest::addRow("W cols") << replaced("[[1.0, 0.0], [0.0, 0.5]]", "[[1.0], [0.5]]") << "model.W";
        QTest::addRow("W null") << replaced("[0.0, 0.5]]", "[0.0, null]]") << "model.W[1][1]";
        QTest::addRow("W inf") << replaced("[0.0, 0.5]]", "[0.0, 1e999]]") << "not valid JSON at byte";
        QTest::addRow("U shape") << replaced(R"("U": [[1.0, 0.0], [0.0, 1.0]])", R"("U": [[1.0, 0.0]])") << "model.U";
        QTest::addRow("b length") << replaced(R"("b": [0.0, 0.0])", R"("b": [0.0])") << "model.b";
        QTest::addRow("input length") << replaced(R"("input": [0.0, 0.6])", R"("input": [0.0])") << "model.U";
        QTest::addRow("bad method") << replaced(R"("picard")", R"("newton")") << "solver.method";
        QTest::addRow("bad tol") << replaced(R"("tol": 1e-9)", R"("tol": -1)") << "solver";
        QTest::addRow("bad max_iter") << replaced(R"("max_iter": 2000)", R"("max_iter": 2.5)") << "solver.max_iter";
        QTest::addRow("bad prior") << replaced(R"("halpern")", R"("lasso")") << "prior.type";
        QTest::addRow("anchor length") << replaced(R"("anchor": [1.5, 0.0])", R"("anchor": [1.5])") << "prior";
        QTest::addRow("start length") << replaced("[[-1.0, 1.0], [2.0, -1.0]]", "[[-1.0, 1.0], [2.0]]") << "starts[1]";
        QTest::addRow("bad regularizer") << replaced(R"("l1")", R"("l0")") << "model.regularizers[0].type";
        QTest::addRow("negative weight") << replaced(R"("weight": 0.1)", R"("weight": -0.1)") << "model.regularizers[0]";
        QTest::addRow("disjoint boxes") << replaced(R"("regularizers": [ { "type": "l1", "weight": 0.1 } ])",
                                                    R"("regularizers": [ { "type": "box", "lo": 0, "hi": 1 } ])")
                                               .replace(R"({ "size": 2, "activation": { "type": "relu" } })",
                                                        R"({ "size": 2, "activation": { "type": "relu" }, "regularizers": [ { "type": "box", "lo": 2, "hi": 3 } ] })")
                                        << "do not intersect";
        QTest::addRow("view order") << replaced(R"("x": [-2, 2])", R"("x": [2, -2])") << "view";
        QTest::addRow("leaky slope") << replaced(R"({ "type": "relu" })", R"({ "type": "leaky_relu", "slope": 3 })") << "slope";
        const char* view = R"("view": { "x": [-2, 2], "y": [-2, 2] })";
        QTest::addRow("window tab") << replaced(view, R"("view": {}, "window": { "tab": "phase" })") << "window.tab: unknown tab \"phase\" (one of landscape";
        QTest::addRow("window tab type") << replaced(view, R"("view": {}, "window": { "tab": 3 })") << "window.tab: expected a string";
        QTest::addRow("window type") << replaced(view, R"("view": {}, "window": "theory")") << "window: expected an object";
        QTest::addRow("window phase") << replaced(view, R"("view": {}, "window": { "phase_plane": 1 })") << "window.phase_plane: expected true or false";
        QTest::addRow("newer version") << replaced(R"("version": 1)", R"("version": 7)") << "version";
    }
    void rejectsBadInputNamingTheField()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        const SceneResult r = parseScene(json);
        QVERIFY(!r.ok());
        QVERIFY2(QString::fromStdString(r.error).contains(field), r.error.c_str());
    }

    void failedSaveLeavesTheOldFileWhole()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("keep.opteq.json");
        QCOMPARE(saveScene(defaultScene(), path), std::string());
        const std::string e = saveScene(defaultScene(), dir.filePath("no/such/dir/x.opteq.json"));
        QVERIFY(!e.empty());
        QVERIFY(loadScene(path).ok());
        QVERIFY(!loadScene(dir.filePath("missing.json")).ok());
    }

    void bundledLessonsLoad()
    {
        const QDir dir(sourcePath("resources/lessons"));
        const QStringList files = dir.entryList({"*.opteq.json"});
        QVERIFY(!files.isEmpty());
        for (const QString& f : files) {
            const SceneResult r = loadScene(dir.filePath(f));
            QVERIFY2(r.ok(), qPrintable(f + ": " + QString::fromStdString(r.error)));
            QVERIFY2(!r.scene->title.empty(), qPrintable(f));
            // Each lesson opens on the tab its text is about first (issue #19).
            QVERIFY2(!r.scene->window.tab.empty(), qPrintable(f + ": no \"window\": {\"tab\": …}"));
        }
    }
};

QTEST_GUILESS_MAIN(TestScene)
#include "tst_scene.moc"
