/**
 * The deployed package's main module. Cloud Functions names the entry point
 * to serve in FUNCTION_TARGET; only that function's module is loaded, so
 * ingest never pays for what dispatch and the API import.
 */
switch (process.env.FUNCTION_TARGET) {
  case 'ingest':
    await import('./ingest.ts');
    break;
  case 'dispatch':
    await import('./dispatch.ts');
    break;
  case 'api':
    await import('./api.ts');
    break;
  default:
    throw new Error(`FUNCTION_TARGET must be ingest, dispatch or api, not ${JSON.stringify(process.env.FUNCTION_TARGET)}`);
}
