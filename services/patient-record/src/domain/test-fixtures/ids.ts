// Fixed UUIDv7-shaped ids so expectations can be written out literally.
const id = (n: number) => `01936f3a-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

export const ids = {
  patient: id(1),
  duplicate: id(2),
  other: id(3),
  staff: id(10),
  provider: id(11),
  otherProvider: id(12),
  location: id(13),
  appointment: id(14),
  allergy: id(20),
  medication: id(21),
  encounter: id(30),
  note: id(31),
  productUse: id(32),
  photo: id(33),
  exam: id(34),
  addendum: id(35),
  productUse2: id(36),
  consentDocument: id(40),
  consentTemplate: id(41),
  guardian: id(42),
  intakeTemplate: id(50),
  intakeForm: id(51),
  at: (hour: number, day = '2025-06-02') => `${day}T${String(hour).padStart(2, '0')}:00:00Z`,
};
