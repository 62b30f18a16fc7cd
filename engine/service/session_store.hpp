// Live sessions of a service, by id: bounded in number and in the memory they hold, dropped when
// idle. Nothing here is needed
// to continue a session elsewhere: every answer carries a resume token (resume_token.hpp).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "catalog_registry.hpp"
#include "sumisura/session.hpp"

namespace sumisura::service {

struct LiveSession {
  LiveSession(std::string id, std::shared_ptr<const LoadedCatalog> catalog, Session session)
      : id(std::move(id)), catalog(std::move(catalog)), session(std::move(session)) {}
  const std::string id;
  /// The catalog version the session was made on: it stays on it when the catalog is reloaded.
  const std::shared_ptr<const LoadedCatalog> catalog;
  /// One request at a time per session; the others wait for it within their time limit.
  std::timed_mutex busy;
  Session session;  ///< guarded by `busy`
  /// Resumed from a token saved under another version of the catalog: what was kept and
  /// dropped (json.hpp's ResumeReport), told in the next answer only. Guarded by `busy`.
  std::string resumed;
};

class SessionStore {
 public:
  using Clock = std::chrono::steady_clock;
  /// `max_bytes`: the memory live sessions may hold together (0: no bound).
  SessionStore(size_t max_sessions, double idle_seconds, uint64_t max_bytes = 0);

  /// Stores a session under a new random id (or under `id` when resuming one a client names; if
  /// another request stored it meanwhile, that one is returned and `session` let go).
  /// When the store is full, sessions idle past their limit go first, then the least recently
  /// used: its client can still resume it from its token.
  std::shared_ptr<LiveSession> add(std::shared_ptr<const LoadedCatalog> catalog, Session session,
                                   std::string id = {});
  /// The session `id`, marked used now; null when unknown or expired.
  std::shared_ptr<LiveSession> find(const std::string& id);
  bool erase(const std::string& id);
  /// Adds `bytes` (negative: frees) to what `live` holds, when it is still stored. Past the memory
  /// bound, sessions idle past their limit go first, then the least recently used, down to this
  /// one when it alone holds more than the bound: every client can resume from its token.
  void charge(const std::shared_ptr<LiveSession>& live, int64_t bytes);
  /// Drops sessions idle for longer than the limit; returns how many.
  size_t expire();
  size_t size() const;
  /// Sessions dropped so far because they were idle or the store was full.
  uint64_t dropped() const;
  /// Memory the live sessions hold, as charged.
  uint64_t bytes() const;

 private:
  struct Slot {
    std::shared_ptr<LiveSession> session;
    Clock::time_point last_used;
    int64_t bytes = 0;  ///< charged so far (signed: see charge); it counts when above zero
  };
  using Slots = std::map<std::string, Slot>;
  /// Sessions taken out of the store, freed when this goes (after the lock is released).
  struct Dropped {
    std::vector<std::shared_ptr<LiveSession>> sessions;
    ~Dropped();
  };
  size_t expire_locked(Clock::time_point now, Dropped& dropped);
  /// Drops the least recently used session.
  void drop_oldest_locked(Dropped& dropped);
  Slots::iterator erase_locked(Slots::iterator it, Dropped& dropped);
  size_t max_sessions_;
  uint64_t max_bytes_;
  int64_t bytes_ = 0;
  Clock::duration idle_;
  mutable std::mutex mutex_;
  Slots sessions_;
  uint64_t dropped_ = 0;
};

/// 128 random bits as 32 hex digits, from the operating system's entropy: session ids are not
/// guessable.
std::string random_id();

}  // namespace sumisura::service
