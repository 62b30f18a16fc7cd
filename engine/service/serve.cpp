// serve(): signals, the HTTP server, and draining on SIGTERM.
#include <httplib.h>
#include <signal.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <atomic>
#include <iostream>
#include <thread>

#include "app.hpp"
#include "memory_accounting.hpp"
#include "sumisura/error.hpp"

namespace sumisura::service {

int serve(const ServiceOptions& options) {
  start_memory_accounting();  // what sessions hold is counted from the first catalog loaded
  // Signals go to one thread that waits for them (sigwait): block them before any thread starts
  // so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  int workers =
      options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
#ifdef __GLIBC__
  // glibc gives threads arenas of their own (up to 8 per core); with hundreds of connection
  // threads, freed memory stays spread over them and the resident size creeps up under load
  // (64 clients for 180 s: 172 -> 230 MiB, still growing; with 2 arenas 126 -> 155 MiB and flat
  // after 90 s). Only the workers solve, so they get the arenas.
  mallopt(M_ARENA_MAX, std::max(2, workers));
#endif
  App app(options);
  httplib::Server server;
  // Connection threads: enough for every worker and every waiting request to reach the gate,
  // which answers the rest 503 at once; keep-alive connections are released after 5 s idle.
  size_t connections = static_cast<size_t>(workers + options.queue + 16);
  server.new_task_queue = [connections] { return new httplib::ThreadPool(connections); };
  // Answers go out at once: without TCP_NODELAY a small answer written in two pieces waits for
  // the client's delayed ACK (40 ms on Linux).
  server.set_tcp_nodelay(true);
  server.set_keep_alive_timeout(5);
  server.set_read_timeout(10);
  server.set_write_timeout(10);
  app.install(server);

  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
  } else if (!server.bind_to_port(options.host, port)) {
    port = -1;
  }
  if (port < 0)
    throw Error(ErrorKind::io, "cannot listen on " + options.host + ":" +
                                   std::to_string(options.port) + " (in use, or not allowed)");
  if (options.on_listening) options.on_listening(port);

  std::atomic<bool> stopping{false};
  std::thread signal_thread([&] {
    for (;;) {
      int sig = 0;
      sigwait(&signals, &sig);
      if (sig == SIGHUP) {
        for (const auto& c : app.catalogs().list()) {
          try {
            app.catalogs().reload(c->id);
            std::cerr << "reloaded catalog " << c->id << "\n";
          } catch (const std::exception& e) {
            std::cerr << "catalog " << c->id << " not reloaded: " << e.what() << "\n";
          }
        }
        continue;
      }
      stopping = true;
      server.stop();  // stops accepting; requests in flight finish (drain) before listen returns
      return;
    }
  });
  std::thread janitor([&] {
    while (!stopping) {
      app.sessions().expire();
      for (int i = 0; i < 10 && !stopping; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  server.listen_after_bind();
  if (!stopping) {  // listen failed on its own: wake the signal thread to end it
    stopping = true;
    pthread_kill(signal_thread.native_handle(), SIGTERM);
  }
  signal_thread.join();
  janitor.join();
  std::cerr << "stopped\n";
  return 0;
}

}  // namespace sumisura::service
