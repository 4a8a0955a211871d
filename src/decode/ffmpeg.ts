/**
 * The one door to ffmpeg and ffprobe. Everything else in the product asks this module to run them.
 *
 * Binaries: the static builds inside `@ffmpeg-installer/linux-x64` and `@ffprobe-installer/linux-x64`
 * (installed from the npm registry, no download step). Measured on this project's 2-core machine,
 * sampling 16 frames of a 5-s 720p H.264 clip: 0.21 s with the static ffmpeg against 0.31 s with
 * Debian's ffmpeg 5.1 (which mostly pays for loading its shared libraries). `LIVENESS_FFMPEG` and
 * `LIVENESS_FFPROBE` point at other binaries; on other platforms the ones on PATH are used.
 */
import { spawn } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LivenessError } from '../errors.js';

export type Tool = 'ffmpeg' | 'ffprobe';

export interface ToolPaths {
  readonly ffmpeg: string;
  readonly ffprobe: string;
}

export interface RunOptions {
  /** Kill the process after this long; the call then fails with `decode_timeout`. */
  readonly timeoutMs: number;
  /** Kill the process once stdout passes this many bytes (hostile inputs that decode forever). */
  readonly maxStdoutBytes: number;
  /** Called with each line of stderr as it arrives. */
  readonly onStderrLine?: (line: string) => void;
  /** Called with stdout as it arrives; stdout is then not kept in the result. */
  readonly onStdout?: (chunk: Buffer) => void;
}

export interface RunResult {
  readonly exitCode: number | null;
  readonly stdout: Buffer;
  /** The last few kilobytes of stderr, for error messages. */
  readonly stderrTail: string;
  readonly stdoutTruncated: boolean;
}

const STDERR_TAIL_CHARS = 4096;

/** Finds the binaries once per process start; the result is passed around in `deps`. */
export function locateTools(env: NodeJS.ProcessEnv = process.env): ToolPaths {
  return {
    ffmpeg: env.LIVENESS_FFMPEG ?? packagedBinary('@ffmpeg-installer/linux-x64', 'ffmpeg'),
    ffprobe: env.LIVENESS_FFPROBE ?? packagedBinary('@ffprobe-installer/linux-x64', 'ffprobe'),
  };
}

function packagedBinary(packageName: string, binary: string): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') return binary;
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    path = join(dirname(require.resolve(`${packageName}/package.json`)), binary);
  } catch {
    return binary;
  }
  if (!existsSync(path)) return binary;
  // npm 11 does not run dependencies' install scripts by default, and the ffprobe package relies on
  // its postinstall `chmod u+x`: make it executable for the user who installed it.
  try {
    accessSync(path, constants.X_OK);
  } catch {
    chmodSync(path, 0o755);
  }
  return path;
}

/** Runs one tool to completion with a timeout and an output cap. Never rejects for a non-zero exit. */
export function runTool(paths: ToolPaths, tool: Tool, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(paths[tool], args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stdoutTruncated = false;
    let stderrTail = '';
    let partialLine = '';
    let timedOut = false;

    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => {
      if (stdoutTruncated) return;
      const room = options.maxStdoutBytes - stdoutBytes;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      stdoutBytes += kept.length;
      if (options.onStdout) options.onStdout(kept);
      else chunks.push(kept);
      if (chunk.length > room) {
        stdoutTruncated = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      stderrTail = (stderrTail + text).slice(-STDERR_TAIL_CHARS);
      if (!options.onStderrLine) return;
      const lines = (partialLine + text).split('\n');
      partialLine = lines.pop() ?? '';
      for (const line of lines) options.onStderrLine(line);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new LivenessError('internal_error', `Expected to run ${tool} at ${paths[tool]} but it failed: ${error.message}`, { cause: error }));
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      if (partialLine && options.onStderrLine) options.onStderrLine(partialLine);
      if (timedOut) {
        reject(new LivenessError('decode_timeout', `Expected ${tool} to finish within ${options.timeoutMs} ms but it was still running and was stopped`));
        return;
      }
      resolve({ exitCode, stdout: Buffer.concat(chunks), stderrTail, stdoutTruncated });
    });
  });
}
