// The names a model gives its classes ("hero,non-human,food,spell,item" in a weights file's
// metadata). Each names a slider and a button in the page, so every reader of weights holds them
// to the same rules: none empty, none twice, no comma (the file lists them with commas), no control
// character. The tools that write names (the trainer, the importer, the dataset command) also keep
// them to kMaxLabelChars characters, which a phone's panel shows in two lines; a file written
// before that limit, with longer names, still opens (the page wraps and cuts them).
#pragma once
#include <string>
#include <vector>

namespace sprites {

inline constexpr size_t kMaxLabelChars = 40;

// "a,b,c" as its labels; "a,b," names three, the last one empty.
std::vector<std::string> split_labels(const std::string& text);
// The labels as one text, `sep` between them: "a,b,c" for metadata, "a, b, c" for messages.
std::string join_labels(const std::vector<std::string>& labels, const char* sep);

// What is wrong with `labels` in a file ("label 2 is empty", "'hero' is given twice", ...), "" if
// nothing; and with names a tool is about to write, which may also be too long.
std::string label_names_problem(const std::vector<std::string>& labels);
std::string new_label_names_problem(const std::vector<std::string>& labels);

// The labels of a weights file's metadata text for a model of `n_cfeat` classes; throws
// std::runtime_error("<name>: ...") if their number or one of them is wrong.
std::vector<std::string> labels_from_metadata(const std::string& text, int n_cfeat, const std::string& name);

}  // namespace sprites
