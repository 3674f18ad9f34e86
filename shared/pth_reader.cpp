#include "pth_reader.h"

#include "printable.h"
#include "string_match.h"

#include <cstring>
#include <memory>
#include <stdexcept>
#include <variant>

namespace sprites {

namespace {

struct Fail : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// --- zip (stored entries only, as torch.save writes them) ---------------------------------------

struct Zip {
  std::vector<uint8_t> bytes;
  std::map<std::string, std::pair<size_t, size_t>> entries;  // name -> (offset, size)

  uint32_t u32(size_t at) const {
    if (at + 4 > bytes.size()) throw Fail("zip structure runs past the end of the file");
    return bytes[at] | bytes[at + 1] << 8 | bytes[at + 2] << 16 | static_cast<uint32_t>(bytes[at + 3]) << 24;
  }
  uint16_t u16(size_t at) const {
    if (at + 2 > bytes.size()) throw Fail("zip structure runs past the end of the file");
    return static_cast<uint16_t>(bytes[at] | bytes[at + 1] << 8);
  }

  explicit Zip(std::vector<uint8_t> b) : bytes(std::move(b)) {
    if (bytes.size() < 22) throw Fail("too short to be a zip archive (a torch.save file)");
    size_t eocd = std::string::npos;
    for (size_t i = bytes.size() - 22 + 1; i-- > 0 && bytes.size() - i < 22 + 65536;)
      if (u32(i) == 0x06054b50) {
        eocd = i;
        break;
      }
    if (eocd == std::string::npos) throw Fail("not a zip archive (legacy torch.save format is not supported)");
    const size_t count = u16(eocd + 10);
    size_t at = u32(eocd + 16);
    for (size_t k = 0; k < count; ++k) {
      if (u32(at) != 0x02014b50) throw Fail("corrupt zip central directory");
      const uint16_t method = u16(at + 10);
      const size_t size = u32(at + 20), name_len = u16(at + 28), extra = u16(at + 30), comment = u16(at + 32);
      const size_t local = u32(at + 42);
      if (at + 46 + name_len > bytes.size()) throw Fail("corrupt zip central directory");
      std::string name(bytes.begin() + static_cast<long>(at + 46), bytes.begin() + static_cast<long>(at + 46 + name_len));
      if (method != 0) throw Fail("zip entry '" + printable(name) + "' is compressed; torch.save stores entries uncompressed");
      if (u32(local) != 0x04034b50) throw Fail("corrupt zip local header for '" + printable(name) + "'");
      const size_t data = local + 30 + u16(local + 26) + u16(local + 28);
      if (data + size > bytes.size()) throw Fail("zip entry '" + printable(name) + "' runs past the end of the file");
      entries[name] = {data, size};
      at += 46 + name_len + extra + comment;
    }
  }
};

// --- pickle ---------------------------------------------------------------------------------------

// Values live in the unpickler's arena and refer to each other by plain pointers: a pickle can
// make a list that holds itself (APPEND of a memoised list), which shared pointers would leak, and
// nest lists a million deep, which they would free recursively until the stack ran out.
struct Value;
using ValuePtr = Value*;
struct Global { std::string module, name; };
struct Storage { std::string key, dtype; size_t esize; };
struct Mark {};
struct None {};
using List = std::vector<ValuePtr>;
using Dict = std::vector<std::pair<ValuePtr, ValuePtr>>;
struct Value {
  std::variant<None, bool, int64_t, double, std::string, List, Dict, Global, Storage, PthTensor, Mark> v;
  bool is_tuple = false;
};

// torch.<Name>Storage -> (safetensors dtype name, bytes per element)
std::pair<std::string, size_t> storage_dtype(const std::string& name) {
  static const std::map<std::string, std::pair<std::string, size_t>> m = {
      {"FloatStorage", {"F32", 4}}, {"HalfStorage", {"F16", 2}}, {"DoubleStorage", {"F64", 8}},
      {"LongStorage", {"I64", 8}},  {"IntStorage", {"I32", 4}},  {"BFloat16Storage", {"BF16", 2}},
      {"ByteStorage", {"U8", 1}},   {"BoolStorage", {"BOOL", 1}}};
  auto it = m.find(name);
  if (it == m.end()) throw Fail("unsupported storage type torch." + printable(name));
  return it->second;
}

class Unpickler {
 public:
  Unpickler(const Zip& zip, std::string prefix, size_t begin, size_t size)
      : zip_(zip), prefix_(std::move(prefix)), p_(zip.bytes.data() + begin), end_(p_ + size) {}

  // The unpickled object; it lives as long as this unpickler.
  ValuePtr run() {
    for (;;) {
      const uint8_t op = byte();
      switch (op) {
        case 0x80: byte(); break;                                     // PROTO
        case 0x95: take(8); break;                                    // FRAME
        case '}': push(make(Dict{})); break;                          // EMPTY_DICT
        case ']': push(make(List{})); break;                          // EMPTY_LIST
        case ')': push(make(List{}, true)); break;                    // EMPTY_TUPLE
        case '(': push(make(Mark{})); break;                          // MARK
        case 'N': push(make(None{})); break;
        case 0x88: push(make(true)); break;                           // NEWTRUE
        case 0x89: push(make(false)); break;                          // NEWFALSE
        case 'K': push(make(static_cast<int64_t>(byte()))); break;    // BININT1
        case 'M': { auto b = take(2); push(make(static_cast<int64_t>(b[0] | b[1] << 8))); break; }
        case 'J': { int32_t v; std::memcpy(&v, take(4), 4); push(make(static_cast<int64_t>(v))); break; }
        case 0x8a: {                                                  // LONG1
          const uint8_t n = byte();
          if (n > 8) throw Fail("integer too large in pickle");
          const uint8_t* b = take(n);
          uint64_t u = 0;  // unsigned: shifting a negative int64 is undefined
          for (int i = n - 1; i >= 0; --i) u = (u << 8) | b[i];
          if (n && n < 8 && (b[n - 1] & 0x80)) u -= uint64_t{1} << (8 * n);
          push(make(static_cast<int64_t>(u)));
          break;
        }
        case 'G': {                                                   // BINFLOAT (big-endian)
          const uint8_t* b = take(8);
          uint64_t u = 0;
          for (int i = 0; i < 8; ++i) u = (u << 8) | b[i];
          double d;
          std::memcpy(&d, &u, 8);
          push(make(d));
          break;
        }
        case 'X': { uint32_t n; std::memcpy(&n, take(4), 4); push(make(str(n))); break; }  // BINUNICODE
        case 0x8c: { const uint8_t n = byte(); push(make(str(n))); break; }              // SHORT_BINUNICODE
        case 'c': {                                                   // GLOBAL
          std::string module = line(), name = line();
          push(make(Global{module, name}));
          break;
        }
        case 0x93: {                                                  // STACK_GLOBAL
          auto name = pop(), module = pop();
          push(make(Global{as<std::string>(module), as<std::string>(name)}));
          break;
        }
        case 'q': memo(byte()); break;                                // BINPUT
        case 'r': { uint32_t i; std::memcpy(&i, take(4), 4); memo(i); break; }
        case 0x94: memo(memo_.size()); break;                         // MEMOIZE
        case 'h': push(get(byte())); break;                           // BINGET
        case 'j': { uint32_t i; std::memcpy(&i, take(4), 4); push(get(i)); break; }
        case 't': push(make(pop_to_mark(), true)); break;             // TUPLE
        case 0x85: { auto a = pop(); push(make(List{a}, true)); break; }
        case 0x86: { auto b = pop(), a = pop(); push(make(List{a, b}, true)); break; }
        case 0x87: { auto c = pop(), b = pop(), a = pop(); push(make(List{a, b, c}, true)); break; }
        case 'a': { auto v = pop(); as<List>(top()).push_back(v); break; }  // APPEND
        case 'e': { auto items = pop_to_mark(); auto& l = as<List>(top()); l.insert(l.end(), items.begin(), items.end()); break; }
        case 's': { auto v = pop(), k = pop(); as<Dict>(top()).emplace_back(k, v); break; }  // SETITEM
        case 'u': {                                                   // SETITEMS
          auto items = pop_to_mark();
          if (items.size() % 2) throw Fail("odd SETITEMS in pickle");
          auto& d = as<Dict>(top());
          for (size_t i = 0; i < items.size(); i += 2) d.emplace_back(items[i], items[i + 1]);
          break;
        }
        case 'b': pop(); break;  // BUILD: object state (the state_dict's _metadata) is not needed
        case 'Q': push(persistent(pop())); break;                     // BINPERSID
        case 'R': { auto args = pop(), fn = pop(); push(reduce(fn, args)); break; }
        case '.': return pop();                                       // STOP
        default: throw Fail("unsupported pickle opcode 0x" + hex(op));
      }
    }
  }

 private:
  ValuePtr make(decltype(Value::v) v, bool tuple = false) {
    arena_.push_back(std::make_unique<Value>());
    arena_.back()->v = std::move(v);
    arena_.back()->is_tuple = tuple;
    return arena_.back().get();
  }
  static std::string hex(uint8_t b) {
    const char* d = "0123456789abcdef";
    return {d[b >> 4], d[b & 15]};
  }
  uint8_t byte() { return *take(1); }
  const uint8_t* take(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) throw Fail("pickle data ends early");
    const uint8_t* r = p_;
    p_ += n;
    return r;
  }
  std::string str(size_t n) {
    const uint8_t* b = take(n);
    return std::string(b, b + n);
  }
  std::string line() {
    std::string s;
    for (char c; (c = static_cast<char>(byte())) != '\n';) s += c;
    return s;
  }
  void push(ValuePtr v) { stack_.push_back(std::move(v)); }
  ValuePtr pop() {
    if (stack_.empty()) throw Fail("pickle stack underflow");
    auto v = stack_.back();
    stack_.pop_back();
    return v;
  }
  Value& top() {
    if (stack_.empty()) throw Fail("pickle stack underflow");
    return *stack_.back();
  }
  List pop_to_mark() {
    List items;
    for (;;) {
      auto v = pop();
      if (std::holds_alternative<Mark>(v->v)) break;
      items.insert(items.begin(), v);
    }
    return items;
  }
  void memo(size_t i) {
    if (stack_.empty()) throw Fail("pickle memo of an empty stack");
    if (i > (1u << 20)) throw Fail("pickle memo index is implausibly large");
    if (memo_.size() <= i) memo_.resize(i + 1);
    memo_[i] = stack_.back();
  }
  ValuePtr get(size_t i) {
    if (i >= memo_.size() || !memo_[i]) throw Fail("pickle refers to a missing memo entry");
    return memo_[i];
  }
  template <class T>
  static T& as(Value& v) {
    if (auto* p = std::get_if<T>(&v.v)) return *p;
    throw Fail("unexpected value type in pickle");
  }
  template <class T>
  static T& as(const ValuePtr& v) { return as<T>(*v); }

  // ('storage', torch.FloatStorage, '0', 'cpu', numel)
  ValuePtr persistent(const ValuePtr& pid) {
    auto& t = as<List>(pid);
    if (t.size() < 5 || as<std::string>(t[0]) != "storage") throw Fail("unknown persistent id in pickle");
    const auto [dtype, esize] = storage_dtype(as<Global>(t[1]).name);
    return make(Storage{as<std::string>(t[2]), dtype, esize});
  }

  ValuePtr reduce(const ValuePtr& fn, const ValuePtr& args) {
    const Global& g = as<Global>(fn);
    auto& a = as<List>(args);
    if (g.module == "collections" && g.name == "OrderedDict") return make(Dict{});
    if (g.module == "torch._utils" && g.name == "_rebuild_tensor_v2") {
      if (a.size() < 4) throw Fail("malformed tensor in pickle");
      const Storage& st = as<Storage>(a[0]);
      const int64_t offset = as<int64_t>(a[1]);
      std::vector<int64_t> size, stride;
      for (auto& v : as<List>(a[2])) size.push_back(as<int64_t>(v));
      for (auto& v : as<List>(a[3])) stride.push_back(as<int64_t>(v));
      auto it = zip_.entries.find(prefix_ + "data/" + st.key);
      if (it == zip_.entries.end()) throw Fail("storage " + printable(st.key) + " is missing from the archive");
      return make(copy_view(st, zip_.bytes.data() + it->second.first, it->second.second / st.esize, offset, size, stride));
    }
    throw Fail("unsupported object " + printable(g.module + "." + g.name) + " in pickle");
  }

  // The contiguous copy of a strided view into a storage of `numel` elements, every index checked.
  static PthTensor copy_view(const Storage& st, const uint8_t* storage, size_t numel, int64_t offset,
                             const std::vector<int64_t>& size, const std::vector<int64_t>& stride) {
    if (size.size() != stride.size() || size.size() > 8 || offset < 0 || offset > static_cast<int64_t>(numel))
      throw Fail("malformed tensor in pickle");
    int64_t count = 1, last = offset;
    for (size_t i = 0; i < size.size(); ++i) {
      if (size[i] < 0 || stride[i] < 0) throw Fail("malformed tensor in pickle");
      if (size[i] == 0) count = 0;
      else if (count > 0 && size[i] > (int64_t{1} << 28) / count) throw Fail("tensor in pickle is too large");
      else count *= size[i];
      if (size[i] > 0) {
        if (stride[i] > (int64_t{1} << 31)) throw Fail("tensor view lies outside storage " + printable(st.key));  // no overflow below
        last += (size[i] - 1) * stride[i];
      }
    }
    if (count > 0 && last >= static_cast<int64_t>(numel)) throw Fail("tensor view lies outside storage " + printable(st.key));
    PthTensor t{st.dtype, size, std::vector<uint8_t>(static_cast<size_t>(count) * st.esize)};
    std::vector<int64_t> index(size.size(), 0);
    for (int64_t k = 0; k < count; ++k) {
      int64_t at = offset;
      for (size_t d = 0; d < size.size(); ++d) at += index[d] * stride[d];
      std::memcpy(&t.data[static_cast<size_t>(k) * st.esize], storage + static_cast<size_t>(at) * st.esize, st.esize);
      for (size_t d = size.size(); d-- > 0;) {  // next index, last dimension fastest
        if (++index[d] < size[d]) break;
        index[d] = 0;
      }
    }
    return t;
  }

  const Zip& zip_;
  std::string prefix_;
  const uint8_t* p_;
  const uint8_t* end_;
  std::vector<ValuePtr> stack_, memo_;
  std::vector<std::unique_ptr<Value>> arena_;
};

}  // namespace

std::map<std::string, PthTensor> parse_pth_state_dict(std::vector<uint8_t> bytes, const std::string& path) {
  try {
    Zip zip(std::move(bytes));
    std::string prefix;
    const std::pair<size_t, size_t>* pkl = nullptr;
    for (auto& [name, where] : zip.entries)
      if (ends_with(name, "data.pkl")) {
        prefix = name.substr(0, name.size() - 8);
        pkl = &where;
      }
    if (!pkl) throw Fail("no data.pkl in the archive");
    Unpickler unpickler(zip, prefix, pkl->first, pkl->second);
    const ValuePtr root = unpickler.run();
    auto* dict = std::get_if<Dict>(&root->v);
    if (!dict) throw Fail("the pickle does not hold a state_dict (a dict of tensors)");
    std::map<std::string, PthTensor> out;
    for (auto& [k, v] : *dict) {
      auto* key = std::get_if<std::string>(&k->v);
      auto* t = std::get_if<PthTensor>(&v->v);
      if (!key || !t) throw Fail("the state_dict holds something other than named tensors");
      out[*key] = *t;
    }
    return out;
  } catch (const Fail& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

}  // namespace sprites
