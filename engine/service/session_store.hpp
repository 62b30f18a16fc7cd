// Live sessions of a service, by id: bounded in number, dropped when idle. Nothing here is needed
// to continue a session elsewhere: every answer carries a resume token (resume_token.hpp).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

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
  SessionStore(size_t max_sessions, double idle_seconds);

  /// Stores a session under a new random id (or under `id` when resuming one a client names).
  /// When the store is full, sessions idle past their limit go first, then the least recently
  /// used: its client can still resume it from its token.
  std::shared_ptr<LiveSession> add(std::shared_ptr<const LoadedCatalog> catalog, Session session,
                                   std::string id = {});
  /// The session `id`, marked used now; null when unknown or expired.
  std::shared_ptr<LiveSession> find(const std::string& id);
  bool erase(const std::string& id);
  /// Drops sessions idle for longer than the limit; returns how many.
  size_t expire();
  size_t size() const;
  /// Sessions dropped so far because they were idle or the store was full.
  uint64_t dropped() const;

 private:
  struct Slot {
    std::shared_ptr<LiveSession> session;
    Clock::time_point last_used;
  };
  size_t expire_locked(Clock::time_point now);
  size_t max_sessions_;
  Clock::duration idle_;
  mutable std::mutex mutex_;
  std::map<std::string, Slot> sessions_;
  uint64_t dropped_ = 0;
};

/// 128 random bits as 32 hex digits, from the operating system's entropy: session ids are not
/// guessable.
std::string random_id();

}  // namespace sumisura::service
