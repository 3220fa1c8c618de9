/** proxy-from-env ships no types: the one function used here. */
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from HTTP(S)_PROXY / ALL_PROXY, or '' when none applies or NO_PROXY excludes it. */
  export function getProxyForUrl(url: string): string;
}
