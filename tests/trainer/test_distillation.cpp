// Progressive distillation: the target's algebra, the grids the trainer and the core's student
// sampler share, the phases' exports, exact resume across a phase change, and refusals.
#include "checkpoint_files.h"
#include "distillation.h"
#include "samplers/sampler.h"
#include "tiny_run.h"

using namespace sprites;

namespace {

// A tiny v-prediction teacher on the zero-terminal-SNR schedule, trained once for all tests.
const std::string& teacher_path() {
  static const std::string path = [] {
    auto c = tiny(testutil::temp_dir());
    c.epochs = 2;
    c.prediction = Prediction::v;
    c.zero_terminal_snr = true;
    train(c);
    return c.out_dir + "/sprites_final.safetensors";
  }();
  return path;
}

// Distils the tiny teacher from 4 steps to 1: two phases of one 5-step epoch.
TrainConfig tiny_distillation(const std::string& out) {
  auto c = tiny(out);
  c.distill_from = teacher_path();
  c.teacher_steps = 4;
  c.phase_epochs = 1;
  return c;
}

std::vector<float> floats(const SafeTensors& st, const std::string& name) {
  const TensorEntry& e = st.tensors.at(name);
  std::vector<float> out((e.end - e.begin) / 2);
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = torch::from_blob(const_cast<uint8_t*>(st.data(e)) + 2 * i, {1}, torch::kHalf).item<float>();
  return out;
}

}  // namespace

TEST(Distillation, TargetMakesOneStudentStepLandWhereTheTeachersTwoLand) {
  for (bool ztsnr : {false, true}) {
    const Schedule s(500, 1e-4f, 0.02f, ztsnr);
    for (auto [t, lo] : std::vector<std::pair<int, int>>{{500, 250}, {250, 125}, {125, 0}, {63, 0}, {500, 0}}) {
      torch::manual_seed(t + lo);
      auto z = torch::randn({2, 3, 4, 4}), z_lo = torch::randn({2, 3, 4, 4});
      auto coef = [&](int k) { return std::pair{torch::tensor(std::sqrt(s.ab[k])), torch::tensor(std::sqrt(1 - s.ab[k]))}; };
      auto [a, sg] = coef(t);
      auto [al, sl] = coef(lo);
      auto x = Distillation::target_x0(z, z_lo, a, sg, al, sl);
      auto eps = (z - a * x) / sg;  // DDIM: the noise that z and x imply, then one step to lo
      auto stepped = al * x + sl * eps;
      EXPECT_LT((stepped - z_lo).abs().max().item<float>(), 1e-4) << "t " << t << " -> " << lo << (ztsnr ? " (zero terminal SNR)" : "");
    }
  }
}

TEST(Distillation, StudentGridIsEveryOtherTeacherTimestepAndTheCoresSamplerWalksIt) {
  const Schedule s;
  for (int steps = 1; steps <= 128; steps *= 2) {
    const auto coarse = evenly_spaced_timesteps(s.T, steps), fine = evenly_spaced_timesteps(s.T, 2 * steps);
    ASSERT_EQ(coarse.size(), static_cast<size_t>(steps));
    for (int i = 0; i < steps; ++i) EXPECT_EQ(coarse[i], fine[2 * i]) << steps << " steps, step " << i;
    EXPECT_EQ(make_student(s, steps)->timesteps(), coarse);
  }
  EXPECT_EQ(evenly_spaced_timesteps(s.T, 4), (std::vector<int>{500, 375, 250, 125}));
}

TEST(Distillation, EachPhaseExportsAStudentTheCoreLoads) {
  auto c = tiny_distillation(testutil::temp_dir());
  const auto r = train(c);
  EXPECT_EQ(r.epochs_done, 2);
  const auto teacher = load_unet_weights(teacher_path());
  for (int steps : {2, 1}) {
    const std::string path = c.out_dir + "/" + checkpoint_file(student_checkpoint_id(steps));
    const auto w = load_unet_weights(path);
    EXPECT_EQ(w.arch.distilled_steps, steps) << path;
    EXPECT_EQ(w.arch.prediction, Prediction::v);
    EXPECT_TRUE(w.arch.zero_terminal_snr) << "the teacher's schedule";
    EXPECT_EQ(w.labels, teacher.labels);
    EXPECT_EQ(w.arch.n_feat, teacher.arch.n_feat);
    EXPECT_EQ(w.metadata.at("distilled_from"), "sprites_final.safetensors");
  }
  const auto last = load_safetensors(c.out_dir + "/" + checkpoint_file(student_checkpoint_id(1)));
  const auto fin = load_safetensors(c.out_dir + "/sprites_final.safetensors");
  EXPECT_EQ(floats(last, "out.3.weight"), floats(fin, "out.3.weight")) << "final is the last phase's student";
  const auto first = load_safetensors(c.out_dir + "/" + checkpoint_file(student_checkpoint_id(2)));
  EXPECT_NE(floats(first, "out.3.weight"), floats(last, "out.3.weight")) << "later phases trained on";
}

TEST(Distillation, LearnsWithinAPhase) {
  auto c = tiny_distillation(testutil::temp_dir());
  c.teacher_steps = 2;  // one phase, 2 -> 1
  c.phase_epochs = 6;
  c.lr = 2e-3;
  train(c);
  const std::vector<double> val = run_held_out_losses(c);
  ASSERT_EQ(val.size(), 6u);
  EXPECT_LT(val.back(), val.front()) << "the student's held-out loss against its teacher fell";
}

TEST(Distillation, ResumesExactlyAcrossAPhaseChange) {
  auto whole = tiny_distillation(testutil::temp_dir());
  train(whole);
  const auto a = losses(whole.out_dir + "/loss.csv");
  ASSERT_EQ(a.size(), 10u);
  for (int64_t stop_at : {5, 7}) {  // on the phase boundary (the next phase promotes on resume), and inside phase 2
    const auto b = run_losses(stopped_and_resumed(whole, stop_at));
    ASSERT_EQ(b.size(), 10u);
    for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]) << "stopped at " << stop_at << ", step " << i + 1;
  }
}

TEST(Distillation, FusedStepFollowsTheEagerOne) {
  expect_fused_follows_eager(tiny_distillation(""), 10);  // teacher passes inside the graph's body too
}

TEST(Distillation, AStudentOfItsOwnWidthLearnsFromAStudentOnItsGridAndTrainsFurtherFromItsExport) {
  auto two = tiny_distillation(testutil::temp_dir());
  two.distill_to = 2;  // one phase, 4 -> 2: the teacher of the narrow student
  train(two);
  auto c = tiny_distillation(testutil::temp_dir());
  c.distill_from = two.out_dir + "/" + checkpoint_file(student_checkpoint_id(2));
  c.teacher_steps = 2;
  c.student_width = 8;
  c.phase_epochs = 6;
  c.lr = 2e-3;
  train(c);
  const auto w = load_unet_weights(c.out_dir + "/" + checkpoint_file(student_checkpoint_id(1)));
  EXPECT_EQ(w.arch.n_feat, 8);
  EXPECT_EQ(w.arch.distilled_steps, 1);
  EXPECT_EQ(w.arch.prediction, Prediction::v);
  const std::vector<double> val = run_held_out_losses(c);
  ASSERT_EQ(val.size(), 6u);
  EXPECT_LT(val.back(), 0.8 * val.front()) << "a student from scratch learns its teacher's steps";

  // Trained further from its export, it goes on from where it was, in eval mode as a copy.
  auto more = c;
  more.out_dir = testutil::temp_dir();
  more.student_width = 0;
  more.student_from = c.out_dir + "/" + checkpoint_file(student_checkpoint_id(1));
  more.phase_epochs = 2;
  more.lr = 5e-4;
  train(more);
  const std::string further_path = more.out_dir + "/" + checkpoint_file(student_checkpoint_id(1));
  EXPECT_EQ(load_unet_weights(further_path).arch.n_feat, 8);
  EXPECT_EQ(load_safetensors(further_path).metadata.at("student_from"), checkpoint_file(student_checkpoint_id(1)));
  const std::vector<double> further = run_held_out_losses(more);
  ASSERT_EQ(further.size(), 2u);
  EXPECT_LT(further.front(), 0.9 * val.front()) << "it starts from the export, not from scratch";
  EXPECT_LT(further.back(), 1.1 * val.back());

  auto wrong = more;
  wrong.out_dir = testutil::temp_dir();
  wrong.student_from = c.distill_from;  // a 2-step student cannot start a 1-step one
  EXPECT_NE(train_error(wrong).find("must be a 1-step student"), std::string::npos);
  wrong.student_from = more.student_from;
  wrong.student_width = 16;
  EXPECT_NE(train_error(wrong).find("sets the student's width"), std::string::npos);
}

TEST(Distillation, RefusesWhatItCannotDistil) {
  auto c = tiny_distillation(testutil::temp_dir());
  c.teacher_steps = 6;
  EXPECT_NE(train_error(c).find("power of two"), std::string::npos);
  c.teacher_steps = 4;
  c.distill_to = 4;
  EXPECT_NE(train_error(c).find("--distill-to"), std::string::npos);

  auto student = tiny_distillation(testutil::temp_dir());
  student.teacher_steps = 2;
  train(student);
  auto again = tiny_distillation(testutil::temp_dir());
  again.distill_from = student.out_dir + "/sprites_final.safetensors";  // a 1-step student
  EXPECT_NE(train_error(again).find("1-step student: set --teacher-steps 1"), std::string::npos);

  auto narrow = tiny_distillation(testutil::temp_dir());
  narrow.student_width = 8;  // from scratch: one halving only
  EXPECT_NE(train_error(narrow).find("one halving"), std::string::npos);

  auto plain = tiny(student.out_dir);  // a plain run on a distillation's checkpoint
  plain.resume = true;
  EXPECT_NE(train_error(plain).find("is a run with --distill sha256:"), std::string::npos) << train_error(plain);
}

TEST(Distillation, AfterTheFirstPhaseTheTeacherIsReadAsV) {
  // An eps teacher (the course's kind): once its student is promoted, the objective must read the
  // teacher's output as v, as a distillation that started from a v teacher would.
  auto eps_teacher = tiny(testutil::temp_dir());
  eps_teacher.epochs = 1;
  train(eps_teacher);
  const Schedule sch;
  Distillation from_eps(load_teacher(eps_teacher.out_dir + "/sprites_final.safetensors"), sch, torch::kCPU);
  from_eps.begin_phase(4, false);
  auto student = load_folded_model(teacher_path());  // any v network stands for the phase's student
  student->eval();
  from_eps.promote(student);
  from_eps.begin_phase(2, true);
  Teacher v{load_folded_model(teacher_path()), {}, Prediction::v, false, {}};
  Distillation from_v(v, sch, torch::kCPU);
  from_v.begin_phase(2, false);

  torch::manual_seed(3);
  auto x0 = torch::rand({6, 3, 16, 16}) * 2 - 1, c = torch::zeros({6, 5});
  NoiseDraw d{torch::randn({6, 3, 16, 16}), torch::tensor(std::vector<int64_t>{500, 250, 500, 250, 250, 500})};
  torch::NoGradGuard ng;
  EXPECT_FLOAT_EQ(from_eps.loss(student, x0, c, d).item<float>(), from_v.loss(student, x0, c, d).item<float>());
  from_eps.begin_phase(2, false);  // as if the promoted student still predicted eps
  EXPECT_NE(from_eps.loss(student, x0, c, d).item<float>(), from_v.loss(student, x0, c, d).item<float>());
}
