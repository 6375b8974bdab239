// SPDX-License-Identifier: GPL-3.0-or-later
// Training speed (issue #12): one epoch of moons (1000 points, 32 tanh units, Adam, batch 64,
// implicit gradient, Picard forward and adjoint to 1e-6, ‖W‖₂ ≤ 0.95) and the decision map of a
// 200 × 200 grid of inputs, each beside the same computation in PyTorch as TorchDEQ does it
// (tests/bench/peers.py train), in the same run on the same data and initial weights.
// Goal: >= 3x faster. Run by hand: build/tests/bench/opteq_train_bench
//
// Image mode (issue #20): build/tests/bench/opteq_train_bench fmnist DIR [--limit N] [--epochs E]
//   [--method picard|anderson] [--adjoint picard|anderson] [--seed S] [--peer-dir D]
// With --peer-dir it writes the initial weights and settings there for the peers and, for every
// epoch it trains, that epoch's data order as order_E.npy (the peers then take the same batches).
// trains n = 256 tanh units on Fashion-MNIST (DIR holds X_train.npy, y_train.npy, X_test.npy,
// y_test.npy as numpy writes them, uint8 pixels or floats; pixels / 255 when uint8) at the
// reference settings (Adam 1e-3, batch 128, tolerance 1e-6, ‖W‖₂ ≤ 0.95, implicit gradient) and
// prints one JSON line per epoch: seconds, forward/adjoint iterations per batch, test accuracy.
// tests/bench/run_train_peers.sh alternates it with the numpy and torch peers (peers.py fmnist).
#include "Dataset.h"
#include "Npy.h"
#include "Trainer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <omp.h>
#include <unistd.h>

using namespace opteq;

namespace {
void writeNpy(const std::string& path, const Eigen::MatrixXd& M)
{
    // numpy's C order: rows of M.
    std::vector<double> v(size_t(M.size()));
    for (Eigen::Index i = 0; i < M.rows(); ++i)
        for (Eigen::Index j = 0; j < M.cols(); ++j) v[size_t(i * M.cols() + j)] = M(i, j);
    const std::string bytes = npyBytes(v.data(), size_t(M.rows()), size_t(M.cols()));
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

std::string peer(const std::string& dir)
{
    const char* py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    const std::string cmd = std::string(py) + " " + OPTEQ_PEERS_PATH + " train " + dir + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return {};
    std::string out;
    char line[1024];
    while (std::fgets(line, sizeof line, p)) out += line;
    pclose(p);
    return out;
}

double field(const std::string& json, const std::string& key)
{
    const size_t k = json.find("\"" + key + "\": ");
    return k == std::string::npos ? -1 : std::atof(json.c_str() + k + key.size() + 4);
}
}  // namespace

namespace {
Dataset loadSplit(const std::string& dir, const std::string& xs, const std::string& ys, int limit)
{
    const NpyMatrix x = readNpyFile(dir + "/" + xs, size_t(1) << 31, "input file");
    const NpyMatrix y = readNpyFile(dir + "/" + ys, size_t(1) << 31, "label file");
    if (!x.ok() || !y.ok()) { std::fprintf(stderr, "%s%s\n", x.error.c_str(), y.error.c_str()); std::exit(1); }
    double top = 0;
    for (double v : x.data) top = std::max(top, v);
    const double scale = top > 1.0 ? 1.0 / 255.0 : 1.0;   // uint8 pixels
    const int N = limit > 0 ? std::min<int>(limit, int(x.rows)) : int(x.rows);
    Dataset d;
    d.X.resize(N, Eigen::Index(x.cols));
    for (int i = 0; i < N; ++i)
        for (size_t j = 0; j < x.cols; ++j) d.X(i, Eigen::Index(j)) = scale * x.data[size_t(i) * x.cols + j];
    d.labels.resize(size_t(N));
    for (int i = 0; i < N; ++i) d.labels[size_t(i)] = int(y.data[size_t(i)]);
    d.classes = 1 + *std::max_element(d.labels.begin(), d.labels.end());
    return d;
}

int fmnist(int argc, char** argv)
{
    std::string dir = argc > 2 ? argv[2] : "/tmp/fmnist";
    int limit = 0, epochs = 1, units = 256;
    std::uint64_t seed = 1;
    Method method = Method::Picard, adjoint = Method::Picard;
    bool adjointGiven = false;
    double uScale = 1.0;   // multiplies the fresh U (the trainer's N(0, 1) saturates tanh on 784 pixels)
    std::string peerDir;   // write the initial weights and settings there for peers.py fmnist-*
    for (int i = 3; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--limit") limit = std::stoi(v);
        else if (k == "--epochs") epochs = std::stoi(v);
        else if (k == "--units") units = std::stoi(v);
        else if (k == "--seed") seed = std::stoull(v);
        else if (k == "--peer-dir") peerDir = v;
        else if (k == "--u-scale") uScale = std::stod(v);
        else if (k == "--method") method = *SolverSettings::parseMethod(v);
        else if (k == "--adjoint") adjoint = *SolverSettings::parseMethod(v), adjointGiven = true;
        else { std::fprintf(stderr, "unknown option %s\n", k.c_str()); return 2; }
    }
    const auto t0 = std::chrono::steady_clock::now();
    Dataset train = loadSplit(dir, "X_train.npy", "y_train.npy", limit);
    Dataset test = loadSplit(dir, "X_test.npy", "y_test.npy", 0);
    const double loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    Activation tanh;
    tanh.type = ActivationType::Tanh;
    Scene s = withUntrainedNetwork(defaultScene(), units, tanh);
    s.solver.method = method;
    s.solver.tol = 1e-6;
    s.solver.maxIter = 500;
    s.hasTraining = true;
    s.training.batch = 128;
    s.training.lr = 1e-3;
    s.training.maxNorm = 0.95;
    s.training.seed = seed;
    const int N = train.size();
    std::string error;
    if (uScale != 1.0) {
        // The trainer's fresh weights with U scaled, given back as a scene's weights (a readout:
        // the trainer continues from them).
        const Trainer fresh(s, Dataset{train.X.topRows(1), {train.labels[0]}, {}, train.classes}, Dataset{}, &error);
        NetworkWeights w = fresh.weights();
        w.U *= uScale;
        s = withWeights(s, w);
    }
    Trainer t(s, std::move(train), std::move(test), &error);
    if (!error.empty()) { std::printf("cannot train: %s\n", error.c_str()); return 1; }
    if (adjointGiven) t.setAdjointMethod(adjoint);
    if (!peerDir.empty()) {
        const NetworkWeights& w0 = t.weights();
        writeNpy(peerDir + "/W.npy", w0.W);
        writeNpy(peerDir + "/U.npy", w0.U);
        writeNpy(peerDir + "/b.npy", w0.b);
        writeNpy(peerDir + "/V.npy", w0.V);
        writeNpy(peerDir + "/c.npy", w0.c);
        writeNpy(peerDir + "/settings.npy", Eigen::RowVectorXd((Eigen::RowVectorXd(6) << s.solver.tol, s.solver.maxIter, s.training.lr,
                                                                s.training.batch, s.training.maxNorm, double(seed)).finished()));
        std::ofstream(peerDir + "/data.txt") << dir << " " << limit << "\n";
        if (epochs == 0) return 0;
    }
    const int batches = (N + 127) / 128;
    for (int e = 0; e < epochs; ++e) {
        const EpochLog l = t.runEpoch();
        if (!peerDir.empty()) {
            // This epoch's batches for the peers (peers.py uses order_E.npy when present), so a
            // comparison is not decided by which random order each side drew.
            Eigen::RowVectorXd order(N);
            for (int i = 0; i < N; ++i) order(i) = t.epochOrder()[size_t(i)];
            writeNpy(peerDir + "/order_" + std::to_string(e + 1) + ".npy", order);
        }
        std::printf("{\"impl\": \"opteq\", \"epoch\": %d, \"seconds\": %.4f, \"forward_per_batch\": %.2f, \"adjoint_per_batch\": %.2f, "
                    "\"test_accuracy\": %.4f, \"train_accuracy\": %.4f, \"unconverged\": %lld, \"N\": %d, \"threads\": %d, "
                    "\"load_seconds\": %.2f}\n",
                    l.epoch, l.seconds, double(l.forwardIterations) / N, double(l.adjointIterations) / N, l.testAccuracy,
                    l.trainAccuracy, l.unconverged + l.adjointUnconverged, N, omp_get_max_threads(), loadSeconds);
        std::fflush(stdout);
        if (!t.problem().empty()) { std::printf("problem: %s\n", t.problem().c_str()); return 1; }
    }
    (void)batches;
    return 0;
}
}  // namespace

int main(int argc, char** argv)
{
    if (argc > 1 && std::string(argv[1]) == "fmnist") return fmnist(argc, argv);
    Activation tanh;
    tanh.type = ActivationType::Tanh;
    Scene s = withUntrainedNetwork(defaultScene(), 32, tanh);
    s.solver.method = Method::Picard;
    s.solver.tol = 1e-6;
    s.solver.maxIter = 500;
    s.hasTraining = true;
    s.training.data.samples = 1000;
    s.training.batch = 64;
    s.training.lr = 0.01;
    const Dataset data = generate(s.training.data);
    std::string error;
    Trainer t(s, data, Dataset{}, &error);
    if (!error.empty()) { std::printf("cannot train: %s\n", error.c_str()); return 1; }

    // The peer starts from the same weights and data.
    char tmpl[] = "/tmp/opteq-train-bench-XXXXXX";
    const std::string dir = mkdtemp(tmpl);
    const NetworkWeights& w0 = t.weights();
    writeNpy(dir + "/W.npy", w0.W);
    writeNpy(dir + "/U.npy", w0.U);
    writeNpy(dir + "/b.npy", w0.b);
    writeNpy(dir + "/V.npy", w0.V);
    writeNpy(dir + "/c.npy", w0.c);
    writeNpy(dir + "/X.npy", data.X);
    Eigen::VectorXd labels(data.size());
    for (int i = 0; i < data.size(); ++i) labels(i) = data.labels[size_t(i)];
    writeNpy(dir + "/y.npy", labels);
    const int grid = 200;
    Eigen::MatrixXd G(2, grid * grid);
    for (int j = 0; j < grid; ++j)
        for (int i = 0; i < grid; ++i) G.col(j * grid + i) = Eigen::Vector2d(-1.5 + 4.0 * i / (grid - 1), -1.0 + 2.5 * j / (grid - 1));
    writeNpy(dir + "/grid.npy", G);
    writeNpy(dir + "/settings.npy", Eigen::RowVectorXd((Eigen::RowVectorXd(5) << s.solver.tol, s.solver.maxIter, s.training.lr,
                                                        s.training.batch, s.training.maxNorm).finished()));

    using clock = std::chrono::steady_clock;
    t.runEpoch();   // warm-up, as the peer
    double best = 1e300;
    long long fw = 0, adj = 0;
    for (int k = 0; k < 5; ++k) {
        const auto a = clock::now();
        const EpochLog l = t.runEpoch();
        best = std::min(best, std::chrono::duration<double>(clock::now() - a).count());
        fw += l.forwardIterations;
        adj += l.adjointIterations;
    }
    double mapBest = 1e300;
    for (int k = 0; k < 3; ++k) {
        const auto a = clock::now();
        const Model m = networkModel(s.model(), t.weights());
        const ForwardPass f = forwardPass(m, t.weights().V, t.weights().c, G, s.solver);
        mapBest = std::min(mapBest, std::chrono::duration<double>(clock::now() - a).count());
        if (f.Z.cols() != G.cols()) return 1;
    }
    std::printf("[7] training: one epoch of moons (1000 points, n = 32 tanh, Adam, batch 64, implicit gradient, Picard to 1e-6)\n");
    std::printf("  opteq: epoch %.2f ms (best of 5; %lld forward and %lld adjoint column-iterations over the 5), train accuracy %.3f\n",
                1e3 * best, fw, adj, t.evaluate(data).second);
    std::printf("  opteq: decision map 200 x 200 inputs %.2f ms (best of 3)\n", 1e3 * mapBest);
    const std::string out = peer(dir);
    const double torchEpoch = field(out, "seconds"), torchMap = field(out, "map_seconds");
    if (torchEpoch <= 0) {
        std::printf("  (peer skipped: %s)\n", out.substr(0, 300).c_str());
        return 0;
    }
    std::printf("  peer train: %s", out.c_str());
    std::printf("  epoch:        torch %.1f ms vs opteq %.2f ms: %.1fx   goal >= 3x  %s\n", 1e3 * torchEpoch, 1e3 * best, torchEpoch / best,
                torchEpoch / best >= 3 ? "PASS" : "MISSED");
    std::printf("  decision map: torch %.1f ms vs opteq %.2f ms: %.1fx   goal >= 3x  %s\n", 1e3 * torchMap, 1e3 * mapBest,
                torchMap / mapBest, torchMap / mapBest >= 3 ? "PASS" : "MISSED");
    return 0;
}
