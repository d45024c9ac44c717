"use strict";
// Feeds a RecordIO JSON event stream to the seed's own parser: the 'data' handler that
// Executor.prototype.subscribe attaches to its HTTP response (lib/executor.js). That parser is only reachable
// through the response, so http.request is replaced by a fake that hands subscribe() a response object, and the
// stream is emitted onto it chunk by chunk, exactly where node's HTTP client would emit socket reads.
//   node seed-decode.js <path to mesos-framework> <plan.json> <result.json>
const fs = require("fs");
const http = require("http");
const EventEmitter = require("events");
const { StringDecoder } = require("string_decoder");

const [modulePath, planPath, resultPath] = process.argv.slice(2);
const plan = JSON.parse(fs.readFileSync(planPath, "utf8"));

// The seed's Executor constructor exits the process without these.
process.env.MESOS_FRAMEWORK_ID = "fake-framework-0001";
process.env.MESOS_EXECUTOR_ID = "fake-executor";
process.env.MESOS_DIRECTORY = "/tmp";
process.env.MESOS_AGENT_ENDPOINT = "127.0.0.1:5051";

let response = null;
http.request = function (options, onResponse) {
    const request = new EventEmitter();
    request.write = () => true;
    request.end = () => {
        const res = new EventEmitter();
        res.statusCode = 200;
        res.headers = { "content-type": "application/json" };
        res.setEncoding = (encoding) => { res.decoder = new StringDecoder(encoding); return res; };
        onResponse(res);
        response = res;
    };
    return request;
};

const Executor = require(modulePath).Executor;

// Counts what reaches the application. The seed only accepts custom handlers for these seven types (no
// LAUNCH_GROUP, no HEARTBEAT); for any other type it calls an undefined `schedulerHandlers` and reports the event
// as "Couldn't parse as JSON".
function count(state) {
    return function (event) { state.delivered++; };
}

function run(stream, boundaries) {
    const state = { delivered: 0, errors: 0, firstError: null };
    const handlers = {};
    for (const type of ["SUBSCRIBED", "LAUNCH", "KILL", "ACKNOWLEDGED", "MESSAGE", "ERROR", "SHUTDOWN"]) {
        handlers[type] = count(state);
    }
    const executor = new Executor({ handlers: handlers });
    executor.on("error", (error) => {
        state.errors++;
        if (state.firstError === null) {
            state.firstError = String(error && error.message || error).slice(0, 160);
        }
    });
    executor.subscribe();
    const res = response;
    // The seed logs every chunk with console.log("BODY: " + chunk); that is silenced here so that only parsing
    // is timed (in favour of the seed).
    const log = console.log;
    console.log = () => {};
    const started = process.hrtime.bigint();
    let previous = 0;
    for (const end of boundaries) {
        const chunk = stream.subarray(previous, end);
        res.emit("data", res.decoder ? res.decoder.write(chunk) : chunk);
        previous = end;
    }
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    console.log = log;
    return { delivered: state.delivered, errors: state.errors, firstError: state.firstError, seconds: elapsed };
}

const result = { node: process.version, cases: [], throughput: [] };
for (const c of plan.cases) {
    const r = run(fs.readFileSync(c.stream), c.boundaries);
    result.cases.push({ name: c.name, delivered: r.delivered, errors: r.errors, firstError: r.firstError });
}

// The first pass is the cold figure; then warm-up passes for at least warmupSeconds (bounded), then the timed ones,
// exactly as the harness does for ours.
const big = fs.readFileSync(plan.bigStream);
const warmupStarted = process.hrtime.bigint();
for (let pass = 0; pass < plan.maxWarmups; pass++) {
    const r = run(big, plan.throughputBoundaries);
    if (pass === 0) {
        result.cold = r;
    }
    if (pass + 1 >= plan.minWarmups && Number(process.hrtime.bigint() - warmupStarted) / 1e9 >= plan.warmupSeconds) {
        break;
    }
}
for (let i = 0; i < plan.repetitions; i++) {
    result.throughput.push(run(big, plan.throughputBoundaries));
}

fs.writeFileSync(resultPath, JSON.stringify(result));
