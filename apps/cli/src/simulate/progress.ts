/** The one progress line on stderr: rewritten in place on a terminal, a line a simulated week otherwise. */
export interface Progress {
  update(line: string, simulatedDay: number): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let lastDay = -1;
  let written = false;
  return {
    update(line, simulatedDay) {
      if (simulatedDay === lastDay) return;
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${line}`);
        written = true;
      } else if (simulatedDay % 7 === 0 || lastDay === -1) {
        stream.write(`${line}\n`);
      }
      lastDay = simulatedDay;
    },
    done() {
      if (written) stream.write("\n");
    },
  };
}
