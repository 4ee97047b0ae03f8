from seemix.cli import main

main()
