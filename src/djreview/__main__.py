from djreview.cli import main

main()
