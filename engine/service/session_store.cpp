#include "session_store.hpp"

#include <algorithm>
#include <random>
#include <vector>

#include "memory_accounting.hpp"

namespace sumisura::service {

std::string random_id() {
  static thread_local std::random_device device;
  static const char* hex = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 4; ++i) {
    uint32_t word = device();
    for (int k = 0; k < 8; ++k, word >>= 4) id.push_back(hex[word & 15]);
  }
  return id;
}

SessionStore::SessionStore(size_t max_sessions, double idle_seconds, uint64_t max_bytes)
    : max_sessions_(max_sessions == 0 ? 1 : max_sessions),
      max_bytes_(max_bytes),
      idle_(std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(idle_seconds))) {}

std::shared_ptr<LiveSession> SessionStore::add(std::shared_ptr<const LoadedCatalog> catalog,
                                               Session session, std::string id) {
  Dropped dropped;
  std::lock_guard<std::mutex> lock(mutex_);
  Clock::time_point now = Clock::now();
  if (!id.empty()) {
    // Two requests resumed the same session at once: the first one stored stays (the other's
    // copy, made from the same token, is let go), so its memory stays counted once.
    if (auto it = sessions_.find(id); it != sessions_.end()) {
      it->second.last_used = now;
      return it->second.session;
    }
  }
  if (sessions_.size() >= max_sessions_) expire_locked(now, dropped);
  while (sessions_.size() >= max_sessions_) drop_oldest_locked(dropped);
  if (id.empty()) {
    do id = random_id();
    while (sessions_.count(id));
  }
  auto live = std::make_shared<LiveSession>(id, std::move(catalog), std::move(session));
  sessions_[id] = Slot{live, now};
  return live;
}

std::shared_ptr<LiveSession> SessionStore::find(const std::string& id) {
  Dropped dropped;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return nullptr;
  Clock::time_point now = Clock::now();
  if (now - it->second.last_used > idle_) {
    erase_locked(it, dropped);
    ++dropped_;
    return nullptr;
  }
  it->second.last_used = now;
  return it->second.session;
}

bool SessionStore::erase(const std::string& id) {
  Dropped dropped;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return false;
  erase_locked(it, dropped);
  return true;
}

void SessionStore::charge(const std::shared_ptr<LiveSession>& live, int64_t bytes) {
  Dropped dropped;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(live->id);
  if (it == sessions_.end() || it->second.session != live) return;  // dropped meanwhile
  // The balance is kept signed, so that charges from requests that end in any order add up the
  // same; a session counts as holding nothing while it is below zero (what it freed may have been
  // charged to another: a cache shared by the catalog's sessions goes to the one that built it).
  int64_t before = std::max<int64_t>(0, it->second.bytes);
  it->second.bytes += bytes;
  bytes_ += std::max<int64_t>(0, it->second.bytes) - before;
  if (max_bytes_ == 0 || bytes_ <= static_cast<int64_t>(max_bytes_)) return;
  expire_locked(Clock::now(), dropped);
  while (!sessions_.empty() && bytes_ > static_cast<int64_t>(max_bytes_))
    drop_oldest_locked(dropped);
}

size_t SessionStore::expire() {
  Dropped dropped;
  std::lock_guard<std::mutex> lock(mutex_);
  return expire_locked(Clock::now(), dropped);
}

size_t SessionStore::expire_locked(Clock::time_point now, Dropped& dropped) {
  size_t n = 0;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (now - it->second.last_used > idle_) {
      it = erase_locked(it, dropped);
      ++n;
    } else {
      ++it;
    }
  }
  dropped_ += n;
  return n;
}

void SessionStore::drop_oldest_locked(Dropped& dropped) {
  auto oldest = sessions_.begin();
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
    if (it->second.last_used < oldest->second.last_used) oldest = it;
  erase_locked(oldest, dropped);
  ++dropped_;
}

SessionStore::Slots::iterator SessionStore::erase_locked(Slots::iterator it, Dropped& dropped) {
  bytes_ -= std::max<int64_t>(0, it->second.bytes);
  dropped.sessions.push_back(std::move(it->second.session));
  return sessions_.erase(it);
}

SessionStore::Dropped::~Dropped() {
  // Freed after the store's lock is released (declared before it), and not counted against the
  // request that happens to drop them.
  NotCounted not_counted;
  sessions.clear();
}

size_t SessionStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sessions_.size();
}

uint64_t SessionStore::dropped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
}

uint64_t SessionStore::bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<uint64_t>(bytes_);
}

}  // namespace sumisura::service
