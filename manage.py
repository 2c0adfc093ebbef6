#!/usr/bin/env python
from heartmon.cli import main

if __name__ == "__main__":
    main()
