/**
 * Prompts on the user's terminal: a line with echo, or a secret without (raw mode, like
 * golang.org/x/term's ReadPassword that cosign uses). Only made when stdin is a TTY.
 */
import { UsageError } from '../core/errors.ts';

/** Questions asked on the terminal; prompts go to stderr so stdout stays machine output. */
export interface Terminal {
  /** Prints `prompt` and reads one line with echo. */
  readLine(prompt: string): Promise<string>;
  /** Prints `prompt` and reads one line without echo. */
  readSecret(prompt: string): Promise<string>;
}

/** The part of a TTY read stream the terminal uses (process.stdin in production). */
export interface TtyInput {
  setRawMode(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Where prompts are printed. */
export interface PromptSink {
  write(text: string): unknown;
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const ERASE = new Set(['\u007f', '\b']);

/** Creates a terminal reading from `input` and prompting on `output`. */
export function createTerminal(input: TtyInput, output: PromptSink): Terminal {
  return {
    readLine: (prompt) => readTerminalLine(input, output, prompt, true),
    readSecret: (prompt) => readTerminalLine(input, output, prompt, false),
  };
}

function readTerminalLine(input: TtyInput, output: PromptSink, prompt: string, echo: boolean): Promise<string> {
  output.write(prompt);
  const decoder = new TextDecoder();
  let line = '';
  if (!echo) input.setRawMode(true);
  return new Promise((resolve, reject) => {
    const finish = (error?: Error): void => {
      input.removeListener('data', onData);
      input.pause();
      if (!echo) { input.setRawMode(false); output.write('\n'); }
      if (error) reject(error); else resolve(line);
    };
    const onData = (chunk: Uint8Array | string): void => {
      const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      for (const ch of text) {
        if (ch === CTRL_C) return finish(new UsageError('ERR_USAGE', 'prompt interrupted'));
        if (ch === '\r' || ch === '\n' || ch === CTRL_D) return finish();
        if (ERASE.has(ch)) line = [...line].slice(0, -1).join('');
        else line += ch;
      }
      return undefined;
    };
    input.on('data', onData);
    input.resume();
  });
}
