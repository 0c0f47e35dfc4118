// The dashboard is a client-rendered SPA: charts draw in the browser only, and the API server
// serves build/index.html for every route.
export const ssr = false;
export const prerender = false;
