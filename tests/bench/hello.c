/* The empty program that scripts/bench-startup measures the tools' fixed cost against. */
int main(void)
{
	return 0;
}
