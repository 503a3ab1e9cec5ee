#!/usr/bin/env node
// Validates Kubernetes manifests against the Kubernetes JSON schemas
// (kubernetes-models) — no cluster needed. Usage: node scripts/validate-k8s.mjs [dir]
// Exits 1 and names each invalid document when any fails.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';

const MODELS = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
};

const dir = resolve(process.argv[2] ?? 'deploy/kubernetes');
const problems = [];
let count = 0;
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()) {
  if (file === 'kustomization.yaml') continue;
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
    if (doc.errors.length) {
      problems.push(`${file}: YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const manifest = doc.toJSON();
    const key = `${manifest?.apiVersion}/${manifest?.kind}`;
    const Model = MODELS[key];
    if (!Model) {
      problems.push(`${file}: no schema for ${key}`);
      continue;
    }
    try {
      new Model(manifest).validate();
      count++;
    } catch (error) {
      problems.push(`${file} (${key} ${manifest?.metadata?.name}): ${error.message}`);
    }
  }
}
if (problems.length) {
  process.stderr.write(`invalid manifests:\n  - ${problems.join('\n  - ')}\n`);
  process.exit(1);
}
process.stdout.write(`${count} manifests valid\n`);
