// examples/python under the real `pulumi` CLI and its Python language host, with `pulumi` from PyPI and the
// generated SDK (sdks/python) in a virtualenv, against an emulator.
import { pythonVirtualenv } from "../../test/native/cli";
import { describeQuickstart } from "../../test/native/quickstart-lifecycle";

jest.setTimeout(600_000);

describeQuickstart("python", __dirname, pythonVirtualenv);
