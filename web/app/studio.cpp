#include "studio.h"

#include <imgui.h>

namespace sprites {

void studio_init(Studio& s, const std::string& build, const std::string& weights_path) {
  s.build = build;
  s.engine = init_engine();
  s.weights_path = weights_path;
  try {
    s.weights_meta = load_safetensors(weights_path).metadata;
  } catch (const std::exception& e) {
    s.weights_error = e.what();
  }
}

static void meta_row(const Studio& s, const char* label, const char* key) {
  auto it = s.weights_meta.find(key);
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(label);
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(it == s.weights_meta.end() ? "-" : it->second.c_str());
}

void studio_frame(Studio& s) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("Sprite Diffusion Studio", nullptr,
               ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse);
  ImGui::TextWrapped("A diffusion model that draws 16x16 pixel-art sprites, after DeepLearning.AI's "
                     "\"How Diffusion Models Work\".");
  ImGui::Separator();
  if (s.engine.ok)
    ImGui::Text("Inference engine: XNNPACK ready, %d thread%s (%s build)", s.engine.threads,
                s.engine.threads == 1 ? "" : "s", s.build == "mt" ? "pthread" : "single-thread");
  else
    ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "Inference engine failed: %s", s.engine.message.c_str());

  ImGui::Spacing();
  ImGui::TextDisabled("Weights: %s", s.weights_path.c_str());
  ImGui::Separator();
  if (!s.weights_error.empty()) {
    ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", s.weights_error.c_str());
  } else if (ImGui::BeginTable("meta", 2, ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit)) {
    meta_row(s, "format", "format");
    meta_row(s, "architecture", "architecture");
    meta_row(s, "labels", "labels");
    meta_row(s, "epoch (0-based)", "epoch");
    meta_row(s, "images seen", "images_seen");
    meta_row(s, "final training loss", "final_loss");
    meta_row(s, "validation loss", "val_loss");
    meta_row(s, "dataset sha256", "dataset_sha256");
    ImGui::EndTable();
  }
  ImGui::End();
  ++s.frames;
}

}  // namespace sprites
