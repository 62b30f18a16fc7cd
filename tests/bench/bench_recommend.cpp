// Value recommendation on real sales (issue 10): the protocols of the published results, on the
// Renault models and their 10-fold splits, every method in the same run.
//
// Protocol A (Brouard, de Givry, Schiex, CP 2020): for each test car a random order of the
// history's variables; at step k the first k hold the customer's values and the recommender
// proposes a value for variable k, drawn from the values still valid; every step counts.
// Protocol B (Fargier, Gimenez, Mengin, ConfWS 2016): the same, but steps where one value is
// left are not scored. Top-1 and top-3 hit rates; time per recommendation includes the valid
// domain (the session state) and the ranking.
//
//   sumisura_bench_recommend --model renault-medium.xml --history renault-medium-sales.txt
//       --folds renault-medium-folds.txt [--fold F] [--seeds S] [--cars N] [--label L]
#include <sumisura/sumisura.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "bench_common.hpp"

using namespace sumisura;
using namespace bench;

namespace {

struct Tally {
  long a_steps = 0, a_top1 = 0, a_top3 = 0;
  long b_steps = 0, b_top1 = 0, b_top3 = 0;
  void add(const Tally& t) {
    a_steps += t.a_steps, a_top1 += t.a_top1, a_top3 += t.a_top3;
    b_steps += t.b_steps, b_top1 += t.b_top1, b_top3 += t.b_top3;
  }
  static double pct(long hits, long steps) { return steps ? 100.0 * hits / steps : NAN; }
};

/// One fold per car. The published fold file is used when it fits the history (one line per car,
/// copies of a configuration in one fold); otherwise folds are made the same way: each distinct
/// configuration, in order of first sale, goes to fold (index mod 10) with all its copies.
std::vector<int> folds_for(const std::vector<Order>& cars, const std::string& path,
                           bool& published) {
  std::vector<int> folds;
  if (!path.empty()) {
    std::ifstream in(path);
    int f;
    while (in >> f) folds.push_back(f);
  }
  std::map<std::vector<std::string>, int> group;
  auto key = [](const Order& o) {
    std::vector<std::string> k;
    for (const auto& c : o.choices) k.push_back(c.value);
    return k;
  };
  published = folds.size() == cars.size();
  for (size_t i = 0; published && i < cars.size(); ++i) {
    auto [it, fresh] = group.emplace(key(cars[i]), folds[i]);
    if (!fresh && it->second != folds[i]) published = false;
  }
  if (published) return folds;
  group.clear();
  folds.clear();
  for (const auto& car : cars) {
    auto [it, fresh] = group.emplace(key(car), static_cast<int>(group.size() % 10));
    folds.push_back(it->second);
  }
  return folds;
}

/// Value indices of `candidates` ranked by score, best first (ties: catalog order).
std::vector<size_t> ranking(const std::vector<double>& s) {
  std::vector<size_t> idx(s.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return s[a] > s[b]; });
  return idx;
}

}  // namespace

int main(int argc, char** argv) try {
  Args args(argc, argv);
  std::string model = args.str("model"), history = args.str("history");
  if (!file_exists(model) || !file_exists(history)) {
    std::cerr << "skipped: " << model << " or " << history
              << " not found (the benchmarks live in ../shared/benchmarks)\n";
    return 77;
  }
  std::string label = args.str("label", model);
  long only_fold = args.num("fold", -1), seeds = args.num("seeds", 1),
       max_cars = args.num("cars", -1);
  Configurator cfg = Configurator::from_file(model);
  cfg.compile();
  std::vector<Order> cars = load_orders(cfg, history);
  bool published = false;
  std::vector<int> fold_of = folds_for(cars, args.str("folds"), published);
  std::printf("# %s: %zu sold cars, %zu variables named; folds %s\n", label.c_str(), cars.size(),
              cars.empty() ? size_t{0} : cars[0].choices.size(),
              published ? "from the published file"
                        : "made here (the published file does not fit this history)");
  const std::vector<std::pair<std::string, LearnOptions>> methods = {
      {"neighbours", {PreferenceMethod::neighbours, std::stod(args.str("bandwidth", "0")), 1}},
      {"tree", {PreferenceMethod::tree, 0.05, 1}},
      {"naive_bayes", {PreferenceMethod::naive_bayes, 0.05, 1}},
      {"frequency", {PreferenceMethod::frequency, 0.05, 1}},
  };
  std::vector<Tally> total(methods.size());
  Stats recommend_ms, ranking_ms, learn_ms;
  for (int fold = 0; fold < 10; ++fold) {
    if (only_fold >= 0 && fold != only_fold) continue;
    std::vector<Order> train, test;
    for (size_t i = 0; i < cars.size(); ++i) (fold_of[i] == fold ? test : train).push_back(cars[i]);
    if (max_cars >= 0 && test.size() > static_cast<size_t>(max_cars)) test.resize(max_cars);
    std::vector<PreferenceModel> models;
    for (const auto& [name, options] : methods) {
      auto t0 = Clock::now();
      models.push_back(PreferenceModel::learn(cfg, train, options));
      if (name == "neighbours") {
        learn_ms.add(ms_since(t0));
        std::printf("# fold %d: %s, learnt in %.0f ms\n", fold, models.back().describe().c_str(),
                    learn_ms.samples.back());
      }
    }
    std::vector<Tally> tally(methods.size());
    Session session = cfg.session();
    for (long seed = 1; seed <= seeds; ++seed) {
      for (size_t car = 0; car < test.size(); ++car) {
        Rng rng(static_cast<uint64_t>(seed) * 1000003 + car);
        std::vector<Choice> order = test[car].choices;
        rng.shuffle(order);
        session.reset();
        std::vector<Choice> known;
        for (const auto& step : order) {
          auto t0 = Clock::now();
          const VariableState* v = session.state().find(step.name);
          auto t1 = Clock::now();
          std::vector<Value> candidates = v->valid_values();
          std::vector<std::vector<double>> scores;
          for (size_t m = 0; m < models.size(); ++m) {
            scores.push_back(models[m].scores(step.name, known, candidates));
            if (m == 0) recommend_ms.add(ms_since(t0)), ranking_ms.add(ms_since(t1));
          }
          size_t truth = candidates.size();
          for (size_t k = 0; k < candidates.size(); ++k) {
            if (candidates[k].to_string() == step.value) truth = k;
          }
          if (truth == candidates.size()) throw std::runtime_error("a sold car is not valid");
          for (size_t m = 0; m < models.size(); ++m) {
            std::vector<size_t> r = ranking(scores[m]);
            bool top1 = r[0] == truth;
            bool top3 = std::find(r.begin(), r.begin() + std::min<size_t>(3, r.size()), truth) !=
                        r.begin() + std::min<size_t>(3, r.size());
            Tally& t = tally[m];
            t.a_steps++, t.a_top1 += top1, t.a_top3 += top3;
            if (candidates.size() > 1) t.b_steps++, t.b_top1 += top1, t.b_top3 += top3;
          }
          if (!session.choose(step.name, step.value).accepted)
            throw std::runtime_error("a sold car's value was refused");
          known.push_back(step);
        }
      }
    }
    for (size_t m = 0; m < methods.size(); ++m) {
      const Tally& t = tally[m];
      std::printf(
          "FOLD\t%s\t%d\t%s\tA-top1 %.2f\tA-top3 %.2f\tB-top1 %.2f\tB-top3 %.2f\t(%ld/%ld steps)\n",
          label.c_str(), fold, methods[m].first.c_str(), Tally::pct(t.a_top1, t.a_steps),
          Tally::pct(t.a_top3, t.a_steps), Tally::pct(t.b_top1, t.b_steps),
          Tally::pct(t.b_top3, t.b_steps), t.a_steps, t.b_steps);
      total[m].add(t);
    }
    std::fflush(stdout);
  }
  for (size_t m = 0; m < methods.size(); ++m) {
    const Tally& t = total[m];
    std::printf(
        "TOTAL\t%s\t%s\tA-top1 %.2f\tA-top3 %.2f\tB-top1 %.2f\tB-top3 %.2f\t(%ld/%ld steps)\n",
        label.c_str(), methods[m].first.c_str(), Tally::pct(t.a_top1, t.a_steps),
        Tally::pct(t.a_top3, t.a_steps), Tally::pct(t.b_top1, t.b_steps),
        Tally::pct(t.b_top3, t.b_steps), t.a_steps, t.b_steps);
  }
  print_result(label, "recommend (domain + ranking), ms", recommend_ms);
  print_result(label, "ranking alone (neighbours), ms", ranking_ms);
  print_result(label, "learn neighbours, ms", learn_ms);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
