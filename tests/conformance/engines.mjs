// The engines the conformance runner can drive. Each has evaluateAll(lines) → one result per
// input line, in order: {output: "<one JSON line>"} or {crash: "<what happened>"}.
//  - native: `ithaca eval --batch`, all lines through one process. If the process dies or
//    hangs, the first line without an answer is charged with the crash and a fresh process
//    continues with the next line, so one bad case cannot hide the rest.
//  - wasm: the browser SDK's module (wasm_sdk/dist/index.mjs): `await loadEngine()`, then
//    `engine.evaluate(expr, contextJsonText)` returns the same JSON text as a batch output line.
//  - reference: @bufbuild/cel behind the same contract, to check the runner itself.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { member, nodeToText, parseJsonText } from "./json_text.mjs";

export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
// $ITHACA_CLI overrides the binary (e.g. a sanitizer build).
export const DEFAULT_CLI = process.env.ITHACA_CLI
  ? path.resolve(process.env.ITHACA_CLI)
  : path.join(REPO_ROOT, "build/native/bin/ithaca");
export const DEFAULT_WASM_MODULE = path.join(REPO_ROOT, "wasm_sdk/dist/index.mjs");

function runProcess(cli, lines, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cli, ["eval", "--batch"], { stdio: ["pipe", "pipe", "pipe"] });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.stdin.on("error", () => {}); // EPIPE when the process dies early; reported below
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ stdout: "", stderr: String(e.message), code: null, signal: null, spawnError: e });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        code,
        signal,
        timedOut,
      });
    });
    child.stdin.end(lines.map((l) => `${l}\n`).join(""));
  });
}

export function nativeEngine({ cli = DEFAULT_CLI, timeoutMs = 120_000 } = {}) {
  return {
    name: "native (ithaca eval --batch)",
    location: cli,
    available() {
      return existsSync(cli) ? null : `${cli} does not exist; build it first (make native)`;
    },
    async evaluateAll(lines) {
      const results = [];
      let start = 0;
      while (start < lines.length) {
        const run = await runProcess(cli, lines.slice(start), timeoutMs);
        if (run.spawnError) throw new Error(`cannot run ${cli}: ${run.stderr}`);
        const outputs = run.stdout.split("\n");
        if (outputs[outputs.length - 1] === "") outputs.pop();
        const answered = Math.min(outputs.length, lines.length - start);
        for (let i = 0; i < answered; i++) results.push({ output: outputs[i] });
        start += answered;
        if (start >= lines.length) {
          if (run.code !== 0 && !run.timedOut) {
            // Every line answered but the process still failed at exit: worth seeing, not a case failure.
            process.emitWarning(`ithaca exited with ${run.code ?? run.signal} after answering every line`);
          }
          break;
        }
        // Output lost in the dying process's stdio buffer could make an innocent line look
        // guilty: confirm by running the suspect alone before charging it.
        const alone = await runProcess(cli, [lines[start]], Math.min(timeoutMs, 10_000));
        const aloneOut = alone.stdout.split("\n")[0];
        if (!alone.timedOut && alone.code === 0 && aloneOut) {
          results.push({ output: aloneOut });
          start += 1;
          continue;
        }
        const culprit = alone.timedOut || alone.code !== 0 ? alone : run;
        const how = culprit.timedOut
          ? "no answer in time (killed)"
          : `process ended (${culprit.signal ? `signal ${culprit.signal}` : `exit code ${culprit.code}`})`;
        const stderrTail = culprit.stderr.trim().split("\n").slice(-3).join(" | ");
        results.push({ crash: `${how} on this line${stderrTail ? `; stderr: ${stderrTail}` : ""}` });
        start += 1;
      }
      return results;
    },
  };
}

export function wasmEngine({ modulePath = DEFAULT_WASM_MODULE } = {}) {
  let engine;
  return {
    name: "wasm (SDK engine.evaluate)",
    location: modulePath,
    available() {
      return existsSync(modulePath) ? null : `${modulePath} does not exist; build the SDK first (make wasm)`;
    },
    async evaluateAll(lines) {
      if (!engine) {
        const mod = await import(pathToFileURL(modulePath).href);
        engine = await mod.loadEngine();
      }
      return lines.map((line) => {
        // The context goes in as JSON text (the SDK takes text or an object), re-emitted from
        // the runner's own reader so `2.0` stays a double on the way in.
        const node = parseJsonText(line);
        const expr = member(node, "expr").value;
        const context = member(node, "context");
        try {
          return { output: String(engine.evaluate(expr, context ? nodeToText(context) : "{}")) };
        } catch (e) {
          return { crash: `evaluate threw: ${e?.message ?? e}` };
        }
      });
    },
  };
}

export async function makeEngine(kind, options = {}) {
  if (kind === "native") return nativeEngine(options);
  if (kind === "wasm") return wasmEngine(options);
  if (kind === "reference") return (await import("./reference_engine.mjs")).referenceEngine();
  throw new Error(`unknown engine ${kind} (native, wasm or reference)`);
}
