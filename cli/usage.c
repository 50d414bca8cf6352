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
	      "A cycle-counted model of AMD SVM and a conformance suite that runs a real\n"
	      "hypervisor core on the model or on (emulated) hardware.\n"
	      "\n"
	      "Commands:\n"
	      "  conformance   run the conformance scenarios and report the results\n"
	      "  bench         measure the model and set it beside raw Unicorn and QEMU\n"
	      "\n"
	      "'vxemu COMMAND --help' describes a command's options.\n",
	      f);
}

void vx_usage_conformance(FILE *f)
{
	fprintf(f,
		"Usage: vxemu conformance [--list] [--filter GLOB] [--group NAME]\n"
		"                         [--format table|ktap|tap13|junit]\n"
		"                         [--platform model|qemu] [--image PATH]\n"
		"                         [--no-vnmi] [--no-nrips] [--cpus N] [--costs FILE]\n"
		"\n"
		"Runs the selected scenarios and prints one report on stdout.\n"
		"\n"
		"  --list             print each selected scenario's name, groups and\n"
		"                     Expect line instead of running it\n"
		"  --filter GLOB      only scenarios whose name matches GLOB (* and ?)\n"
		"  --group NAME       only scenarios in group NAME\n"
		"  --format FMT       table (default), ktap, tap13 or junit\n"
		"  --platform P       model (default): a fresh model machine per scenario;\n"
		"                     qemu: boot the hardware image under QEMU TCG with SVM\n"
		"  --image PATH       hardware image for --platform qemu\n"
		"                     (default: the one this build made)\n"
		"  --no-vnmi          model without vNMI (CPUID Fn8000_000A EDX[25] clear)\n"
		"  --no-nrips         model without NRIP save (CPUID Fn8000_000A EDX[3] clear)\n"
		"  --cpus N           model processors, 1 to %d (default 4)\n"
		"  --costs FILE       override cycle costs with \"name cost\" lines\n"
		"  -h, --help         print this help\n"
		"\n"
		"Exit status: 0 when nothing failed, 1 when a scenario failed or broke,\n"
		"2 on bad arguments, when the platform is not available or broke (QEMU\n"
		"did not run the image, or its report is incomplete), or when the report\n"
		"cannot be written.\n",
		EMU_MAX_CPUS);
}

void vx_usage_bench(FILE *f)
{
	fprintf(f,
		"Usage: vxemu bench [--seconds S]\n"
		"\n"
		"Measures, in one run: model VMRUN->VMMCALL->#VMEXIT round trips per second,\n"
		"guest MIPS on the model with cycle accounting beside raw Unicorn, the\n"
		"conformance suite's wall time, QEMU TCG round trips per second when QEMU\n"
		"and the hardware image are there, and memory growth per round trip.\n"
		"\n"
		"  --seconds S        time each measurement aims for (default %g)\n"
		"  -h, --help         print this help\n",
		VX_BENCH_SECONDS_DEFAULT);
}

int vx_usage_error(void (*usage)(FILE *f), const char *message)
{
	fprintf(stderr, "vxemu: %s\n\n", message);
	usage(stderr);
	return VX_EXIT_USAGE;
}
