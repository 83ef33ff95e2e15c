import type { IncomingHttpHeaders } from 'node:http';

import type { Reply } from './http-reply';

/** The parts of one request that a tracker route reads. */
export interface RouteRequest {
  method: string;
  /** Path below the tracker's prefix, such as `/graphql` or `/bugs/1`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** `http://host:port` the client used, for links in responses. */
  origin: string;
  now: number;
}

/** A tracker route's response and the issues it looked up. */
export interface RouteResult {
  reply: Reply;
  /** Ids of the issues the request touched, in request order. */
  touched: string[];
  rateLimited?: boolean;
}

export interface TrackerRoute {
  /** Names the endpoint for stats, such as `GET /bugs/{id}`. */
  endpointOf(method: string, path: string): string;
  handle(request: RouteRequest): RouteResult;
}
