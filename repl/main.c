/* main.c - the exacalc program (placeholder until the CLI lands). */
#include <stdio.h>
int main(void)
{
    fputs("exacalc: not built yet\n", stderr);
    return 2;
}
