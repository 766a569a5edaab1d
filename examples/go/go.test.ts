// examples/go under the real `pulumi` CLI and its Go language host, with the generated Go SDK (sdks/go/livemessage,
// through the program's replace directive), against an emulator.
import { describeQuickstart } from "../../test/native/quickstart-lifecycle";

jest.setTimeout(900_000);

describeQuickstart("go", __dirname);
