"""inburgeringskit: beleidsdocumenten Wet inburgering 2021 uit één keuzebestand."""

__version__ = "0.1.0"
