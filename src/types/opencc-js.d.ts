/**
 * opencc-js exports each dictionary as `opencc-js/dict/<Name>` (its `./*` export) without types:
 * each module's default export is the dictionary serialised as `source target|source target|…`.
 */
declare module 'opencc-js/dict/*' {
  const dictionary: string;
  export default dictionary;
}
