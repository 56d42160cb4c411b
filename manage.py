#!/usr/bin/env python
from seoulhub.cli import main

if __name__ == "__main__":
    main()
