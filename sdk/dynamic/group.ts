// The dynamic provider of this resource kind as a module of its own, exported as
// `pulumi-alicloud-livemessage/dynamic/group`: Pulumi serializes a provider that is a package module's exports as a
// `require()` of that public subpath, so each resource's `__provider` is one short line (see ../lazy-provider.ts).
import { lazyProvider } from "../lazy-provider";

export = lazyProvider("group");
