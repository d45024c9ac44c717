"use strict";
// The seed's executor as its README shows it: require mesos-framework, make an Executor, subscribe.
// The harness starts this file the way an agent starts an executor (sandbox as working directory, only the
// MESOS_*/LIBPROCESS_* environment and a default PATH).   node seed-executor.js <path to mesos-framework>
const Executor = require(process.argv[2]).Executor;

const executor = new Executor({});
// Without an "error" listener the first error (the agent's 400 answer ending the stream) would crash the
// process; a real executor would listen. Errors go to stderr, the sandbox's stderr file.
executor.on("error", (error) => process.stderr.write("seed executor error: " + JSON.stringify(error) + "\n"));
executor.subscribe();

// Stay alive, as an executor waiting for its events does, until the harness kills the process; this is what
// makes its memory measurable after it subscribed.
setInterval(() => {}, 1 << 30);
