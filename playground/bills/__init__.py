"""The providers' own bills beside the local call log: import (admin APIs, console CSVs), store, reconcile."""
