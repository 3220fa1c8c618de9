/**
 * B: raw axios with a keep-alive agent — the ceiling for any axios-based client. Redirects are off, as in our
 * client: with them on, axios routes every request through follow-redirects, which costs CPU per request.
 */
import http from 'node:http';
import axios from 'axios';
import { basicAuth, participantPath } from '../workload';
import type { VariantSetup } from './variant';

export const setup: VariantSetup = async (workload) => {
  const { target } = workload;
  const agent = new http.Agent({ keepAlive: true, maxSockets: workload.concurrency });
  const api = axios.create({
    baseURL: target.url,
    httpAgent: agent,
    maxRedirects: 0,
    headers: { Authorization: basicAuth(target), 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return {
    async update(req) {
      const res = await api.post(participantPath(target, req), `Muted=${req.muted}`);
      if (res.data.muted !== req.muted) throw new Error(`unexpected body: ${JSON.stringify(res.data)}`);
    },
    async close() {
      agent.destroy();
    },
  };
};
