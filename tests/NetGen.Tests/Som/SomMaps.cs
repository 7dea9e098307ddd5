namespace NetGen.Tests.Som;

// Maps of odd sizes, so that every register width meets a tail: 1 unit; 15 (less than one Vector512, one Vector256 and a
// tail of 7); 91 (5 Vector512 registers and a tail of 11); 100 with 17 inputs; Iris's 10 × 10 × 4; and 4,800 units,
// beyond what the update keeps on the stack (its coefficients then live in a per-thread buffer).

[SelfOrganizingMap(1, 1, Inputs = 1)]
public partial class Map1x1 { }

[SelfOrganizingMap(3, 5, Inputs = 3)]
public partial class Map3x5 { }

[SelfOrganizingMap(7, 13, Inputs = 4)]
public partial class Map7x13 { }

[SelfOrganizingMap(10, 10, Inputs = 17)]
public partial class Map10x10 { }

[SelfOrganizingMap(10, 10, Inputs = 4)]
public partial class IrisSom { }

[SelfOrganizingMap(80, 60, Inputs = 3)]
public partial class LargeMap { }

// Hand-built maps for the measures: three units in a row, and a 2 × 2 square.

[SelfOrganizingMap(3, 1, Inputs = 2)]
public partial class RowMap { }

[SelfOrganizingMap(2, 2, Inputs = 2)]
public partial class SquareMap { }
