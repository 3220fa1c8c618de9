/**
 * Sets environment variables for a test, as a shell would before starting Node-RED, and returns what puts each
 * back as it was (unset stays unset), so one suite's settings never reach the next.
 */
export function setEnvironment(values: Record<string, string>): () => void {
  const saved = Object.keys(values).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, values);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
