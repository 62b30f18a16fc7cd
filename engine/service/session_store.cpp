#include "session_store.hpp"

#include <random>

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

SessionStore::SessionStore(size_t max_sessions, double idle_seconds)
    : max_sessions_(max_sessions == 0 ? 1 : max_sessions),
      idle_(std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(idle_seconds))) {}

std::shared_ptr<LiveSession> SessionStore::add(std::shared_ptr<const LoadedCatalog> catalog,
                                               Session session, std::string id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Clock::time_point now = Clock::now();
  if (sessions_.size() >= max_sessions_) expire_locked(now);
  while (sessions_.size() >= max_sessions_) {
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
      if (it->second.last_used < oldest->second.last_used) oldest = it;
    sessions_.erase(oldest);
    ++dropped_;
  }
  if (id.empty()) {
    do id = random_id();
    while (sessions_.count(id));
  }
  auto live = std::make_shared<LiveSession>(id, std::move(catalog), std::move(session));
  sessions_[id] = Slot{live, now};
  return live;
}

std::shared_ptr<LiveSession> SessionStore::find(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return nullptr;
  Clock::time_point now = Clock::now();
  if (now - it->second.last_used > idle_) {
    sessions_.erase(it);
    ++dropped_;
    return nullptr;
  }
  it->second.last_used = now;
  return it->second.session;
}

bool SessionStore::erase(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return sessions_.erase(id) > 0;
}

size_t SessionStore::expire() {
  std::lock_guard<std::mutex> lock(mutex_);
  return expire_locked(Clock::now());
}

size_t SessionStore::expire_locked(Clock::time_point now) {
  size_t n = 0;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (now - it->second.last_used > idle_) {
      it = sessions_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  dropped_ += n;
  return n;
}

size_t SessionStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sessions_.size();
}

uint64_t SessionStore::dropped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
}

}  // namespace sumisura::service
