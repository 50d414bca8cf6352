/* SPDX-License-Identifier: MIT */
/* Usage texts. --help prints them to stdout; usage errors to stderr. */
#include "cli.h"

#include "emu/emu.h"
#include "opts.h"

const char *vx_version(void)
{
	return VXEMU_VERSION;
}

void vx_usage_main(FILE *f)
{
	fputs("Usage: vxemu COMMAND [OPTIONS]\n"
	      "       vxemu --help | --version\n"
	      "\n"
	      "A cycle-counted model of AMD SVM and Intel VMX and a conformance suite that\n"
	      "runs a real hypervisor core on the model or on (emulated) hardware.\n"
	      "\n"
	      "Commands:\n"
	      "  conformance   run the conformance scenarios and report the results\n"
	      "  bench         measure the model and set it beside raw Unicorn and QEMU\n"
	      "  trace         read, compare, replay and import traces of scenario runs\n"
	      "\n"
	      "'vxemu COMMAND --help' describes a command's options.\n",
	      f);
}

void vx_usage_conformance(FILE *f)
{
	fprintf(f,
		"Usage: vxemu conformance [--list] [--filter GLOB] [--group NAME]\n"
		"                         [--format table|ktap|tap13|junit]\n"
		"                         [--platform model|qemu|bochs] [--image PATH]\n"
		"                         [--vendor intel|amd]\n"
		"                         [--no-vnmi] [--no-nrips] [--no-decode-assists]\n"
		"                         [--no-vmx-hlt] [--no-vmx-shutdown]\n"
		"                         [--no-vmx-wait-sipi] [--cpus N] [--costs FILE]\n"
		"                         [--trace DIR]\n"
		"\n"
		"Runs the selected scenarios and prints one report on stdout.\n"
		"\n"
		"  --list             print each selected scenario's name, groups and\n"
		"                     Expect line instead of running it\n"
		"  --filter GLOB      only scenarios whose name matches GLOB (* and ?)\n"
		"  --group NAME       only scenarios in group NAME\n"
		"  --format FMT       table (default), ktap, tap13 or junit\n"
		"  --platform P       model (default): a fresh model machine per scenario;\n"
		"                     qemu: boot the hardware image under QEMU TCG with SVM;\n"
		"                     bochs: boot its ISO under Bochs with 4 processors\n"
		"  --image PATH       hardware image for --platform qemu (the ELF) or bochs\n"
		"                     (the ISO, or the ELF put on one at each run)\n"
		"                     (default: the one this build made)\n"
		"  --vendor V         whose processor: amd (SVM) or intel (VMX); the model's\n"
		"                     default is amd, Bochs' intel (Skylake-X; amd: Ryzen)\n"
		"  --no-vnmi          model without vNMI (CPUID Fn8000_000A EDX[25] clear)\n"
		"  --no-nrips         model without NRIP save (CPUID Fn8000_000A EDX[3] clear)\n"
		"  --no-decode-assists  model without decode assists (EDX[7] clear)\n"
		"  --no-vmx-hlt, --no-vmx-shutdown, --no-vmx-wait-sipi\n"
		"                     Intel model without that activity state\n"
		"                     (IA32_VMX_MISC bit 6, 7 or 8 clear)\n"
		"  --cpus N           model processors, 1 to %d (default 4)\n"
		"  --costs FILE       override cycle costs with \"name cost\" lines\n"
		"  --trace DIR        write each scenario's trace to DIR/SCENARIO.vxt\n"
		"                     (created if missing; 'vxemu trace --help' reads them)\n"
		"  -h, --help         print this help\n"
		"\n"
		"Exit status: 0 when nothing failed, 1 when a scenario failed or broke,\n"
		"2 on bad arguments, when the platform is not available or broke (the\n"
		"emulator did not run the image, or its report is incomplete), or when\n"
		"the report cannot be written.\n",
		EMU_MAX_CPUS);
}

void vx_usage_bench(FILE *f)
{
	fprintf(f,
		"Usage: vxemu bench [--seconds S]\n"
		"\n"
		"Measures, in one run, each figure beside a peer from the same run:\n"
		"  - model VMRUN->VMMCALL->#VMEXIT round trips per second;\n"
		"  - model VMLAUNCH/VMRESUME->VMCALL->VM exit round trips per second on\n"
		"    an Intel model machine, and the model cycles of one;\n"
		"  - the hv core's TSC-deadline timer round trip (WRMSR of a deadline\n"
		"    already due, the timer interrupt, its EOI) on an Intel model\n"
		"    machine through the exit fastpath beside the full exit path: model\n"
		"    cycles and CPU time of one, and their ratio;\n"
		"  - guest MIPS on the model with cycle accounting on, beside the same\n"
		"    loop on bare Unicorn with no hooks and with one empty block hook;\n"
		"  - guest MIPS on the model of a loop of 8 loads and of the same loop\n"
		"    with 8 stores, and their ratio;\n"
		"  - the conformance suite on the model, beside the suite in the hardware\n"
		"    image under QEMU TCG (-smp 4 unless VXEMU_QEMU_SMP says otherwise);\n"
		"  - the peak memory of a %u-processor model machine: every scenario on a\n"
		"    fresh machine in a child process, the largest growth above its start;\n"
		"  - the IPI round trip between two model processors, in model cycles and\n"
		"    in host time, and the 4-vCPU AP-boot scenario;\n"
		"  - QEMU TCG round trips per second and the model/QEMU ratio, against\n"
		"    QEMU's wall time and against its CPU time (the lower is judged);\n"
		"  - the same VMX loop in the hardware image under Bochs (benchvmx=N,\n"
		"    VXEMU_BOCHS_VENDOR=intel), Bochs' CPU time, and the model/Bochs\n"
		"    ratio;\n"
		"  - resident memory growth per model round trip.\n"
		"It ends with each target, the figure it was judged on, and PASS or FAIL.\n"
		"\n"
		"Model figures are the CPU time of vxemu, which runs the model on one\n"
		"thread; QEMU figures are wall time, with QEMU's CPU time beside them;\n"
		"the Bochs figure is Bochs' CPU time, its wall time beside it. The QEMU\n"
		"and Bochs figures are n/a, with the reason, when the emulator or the\n"
		"image (for Bochs, the boot ISO) is missing.\n"
		"\n"
		"  --seconds S        time each measurement aims for (default %g; the\n"
		"                     default run takes a minute or two)\n"
		"  -h, --help         print this help\n"
		"\n"
		"Exit status: 0 when every model measurement ran, whatever the targets\n"
		"say; 1 when one could not run; 2 on bad arguments.\n",
		VX_CONFORMANCE_CPUS, VX_BENCH_SECONDS_DEFAULT);
}

void vx_usage_trace(FILE *f)
{
	fprintf(f,
		"Usage: vxemu trace dump FILE [--format text|json]\n"
		"       vxemu trace diff A B [--context N]\n"
		"       vxemu trace replay FILE [--[no-]vnmi] [--[no-]nrips] [--[no-]npt]\n"
		"                               [--[no-]decode-assists] [--cpus N]\n"
		"                               [--context N] [--output FILE]\n"
		"       vxemu trace import TEXT --output FILE [--scenario NAME]\n"
		"       vxemu trace import LOG --output DIR\n"
		"\n"
		"Traces are the files 'vxemu conformance --trace DIR' writes, on the model\n"
		"and with --platform qemu or bochs (docs/traces.md).\n"
		"\n"
		"  dump     one line per event, with the guest code at each exit\n"
		"           disassembled; --format json writes one JSON object per line\n"
		"  diff     aligns two traces of one scenario by scenario step and\n"
		"           processor, and shows the first event where they differ with\n"
		"           N events of context (default %u)\n"
		"  replay   runs the recorded scenario on the model with the recorded\n"
		"           machine configuration (or the switches given) and diffs the\n"
		"           recording against it; --output keeps the replay's trace\n"
		"  import   turns 'trace-cmd report' or 'perf script' text of kvm:*\n"
		"           events (TEXT, or - for stdin) into a trace; lines it does not\n"
		"           read are skipped and counted. The serial log of the hardware\n"
		"           image booted with 'trace' (LOG) becomes one trace per scenario\n"
		"           in the folder DIR\n"
		"  -h, --help  print this help\n"
		"\n"
		"Exit status: 0 when the traces agree (dump, import: when it worked), 1 at\n"
		"a divergence, 2 on bad arguments or a file that is not a readable trace.\n",
		VX_TRACE_CONTEXT_DEFAULT);
}

int vx_usage_error(void (*usage)(FILE *f), const char *message)
{
	fprintf(stderr, "vxemu: %s\n\n", message);
	usage(stderr);
	return VX_EXIT_USAGE;
}
