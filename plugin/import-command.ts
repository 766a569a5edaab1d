#!/usr/bin/env node
/**
 * `livemessage-import <appId>`: bulk adoption of an existing estate. Lists the app's groups (ListLiveMessageGroupByPage,
 * 50 per call) and writes the file `pulumi import --file` reads, so every group is adopted by the native plugin in one
 * `pulumi import` — which also writes the program code for them.
 *
 *     livemessage-import abc123 --out groups.json && pulumi import --file groups.json --yes --out groups.yaml
 *
 * Credentials and endpoint are found the way the provider finds them (README "Configuration"): the
 * LIVEMESSAGE_ENDPOINT / LIVEMESSAGE_REGION and ALIBABA_CLOUD_* environment variables or the Aliyun CLI profile,
 * or the options below.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { LiveClient } from "../provider/client/live-client";
import { isLiveError } from "../provider/client/errors";
import { readProviderConfig } from "../provider/resources/config";
import { DEFAULT_ENDPOINT, type DataCenter } from "../provider/limits";
import { lookupApp, lookupGroups } from "../provider/resources/lookups";
import { PACKAGE } from "./resources";

export const USAGE = `Usage: livemessage-import <appId> [options]

Writes a \`pulumi import --file\` file that adopts every live group of a LiveMessage app (and, with --with-app, the
app itself) into a stack on the native livemessage plugin.

Options:
  --out <file>             write the file here (default: standard output)
  --data-center <dc>       the app's data center: cn-shanghai or ap-southeast-1 (default: where the app is found)
  --name-prefix <prefix>   prefix of every resource name (default: none; a group's name is its groupId)
  --with-app               also import the app (resource name: --app-name, default "app")
  --app-name <name>        the app's resource name with --with-app (default "app")
  --provider-urn <urn>     adopt with this explicit provider (its URN, e.g.
                           urn:pulumi:dev::proj::pulumi:providers:livemessage::second)
  --endpoint <url>         API endpoint (default: LIVEMESSAGE_ENDPOINT, else https://live.aliyuncs.com)
  -h, --help               this text

Then: pulumi import --file <file> --yes --out <program file> (Pulumi writes the code of every imported resource).
`;

export interface ImportEntry {
  type: string;
  name: string;
  id: string;
  provider?: string;
}

export interface ImportFile {
  nameTable?: Record<string, string>;
  resources: ImportEntry[];
}

export interface ImportOptions {
  appId: string;
  dataCenter?: DataCenter;
  namePrefix?: string;
  withApp?: boolean;
  appName?: string;
  providerUrn?: string;
}

/** The import file for every live group of the app, oldest first. */
export async function buildImportFile(client: LiveClient, options: ImportOptions): Promise<ImportFile> {
  // The app's own data center, unless given: its groups live there.
  const app = await lookupApp(client, { appId: options.appId, dataCenter: options.dataCenter });
  const groups = await lookupGroups(client, { appId: options.appId, status: "live", dataCenter: app.dataCenter });
  const prefix = options.namePrefix ?? "";
  const provider = options.providerUrn ? { provider: "provider" } : {};
  const resources: ImportEntry[] = [];
  if (options.withApp) resources.push({ type: `${PACKAGE}:index:App`, name: options.appName ?? "app", id: options.appId, ...provider });
  for (const g of groups) resources.push({ type: `${PACKAGE}:index:Group`, name: `${prefix}${g.groupId}`, id: `${options.appId}/${g.groupId}`, ...provider });
  return { ...(options.providerUrn ? { nameTable: { provider: options.providerUrn } } : {}), resources };
}

export async function main(argv: readonly string[], io: { stdout: (s: string) => void; stderr: (s: string) => void }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: "string" },
        "data-center": { type: "string" },
        "name-prefix": { type: "string" },
        "with-app": { type: "boolean" },
        "app-name": { type: "string" },
        "provider-urn": { type: "string" },
        endpoint: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    io.stderr(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.stderr(`livemessage-import needs exactly one app ID.\n\n${USAGE}`);
    return 2;
  }
  try {
    const config = readProviderConfig((key) => (key === "livemessage:endpoint" ? values.endpoint : key === "livemessage:region" ? values["data-center"] : undefined));
    // A client of its own (not the provider's shared one): the command closes it when done.
    const client = new LiveClient({ endpoint: config.endpoint ?? DEFAULT_ENDPOINT, signatureVersion: config.signatureVersion });
    try {
      const file = await buildImportFile(client, {
        appId: positionals[0]!,
        dataCenter: values["data-center"] as DataCenter | undefined,
        namePrefix: values["name-prefix"],
        withApp: values["with-app"],
        appName: values["app-name"],
        providerUrn: values["provider-urn"],
      });
      const text = `${JSON.stringify(file, null, 2)}\n`;
      const groups = file.resources.filter((r) => r.type.endsWith(":Group")).length;
      if (values.out) {
        fs.writeFileSync(values.out, text);
        io.stderr(
          `Wrote ${values.out}: ${groups} groups${values["with-app"] ? " and the app" : ""} of app ${positionals[0]}.\n` +
            `Next: pulumi import --file ${values.out} --yes --out <program file>\n`,
        );
      } else {
        io.stdout(text);
      }
    } finally {
      await client.close();
    }
    return 0;
  } catch (e) {
    io.stderr(`livemessage-import: ${isLiveError(e) ? (e as Error).message : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }).then((code) => {
    process.exitCode = code;
  });
}
