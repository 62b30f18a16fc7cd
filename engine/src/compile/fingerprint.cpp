// The model fingerprint (see model.hpp).
#include "compile/model.hpp"
#include "core/bytes.hpp"

namespace sumisura::detail {

uint64_t model_fingerprint(const Model& m) {
  ByteWriter w;
  w.u32(static_cast<uint32_t>(m.cnf.num_vars()));
  w.u64(m.cnf.size());
  uint64_t h = 0;
  // Clauses in chunks, so that the fingerprint of a large model needs no copy of its CNF.
  for (size_t i = 0; i < m.cnf.size(); ++i) {
    auto c = m.cnf.clause(i);
    w.u32(static_cast<uint32_t>(c.size()));
    w.raw(c.data(), c.size() * sizeof(Lit));
    if (w.str().size() > (1u << 20)) {
      h = hash_bytes(w.str(), h);
      w.str().clear();
    }
  }
  for (const FdVar& v : m.vars) {
    w.u32(static_cast<uint32_t>(v.kind));
    w.u32(static_cast<uint32_t>(v.owner));
    w.u32(static_cast<uint32_t>(v.block));
    w.u32(static_cast<uint32_t>(v.lits.size()));
    w.raw(v.lits.data(), v.lits.size() * sizeof(Lit));
  }
  return hash_bytes(w.str(), h);
}

}  // namespace sumisura::detail
