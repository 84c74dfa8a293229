import { Appointment } from '../appointments/models/appointment.model';
import { EmergencyContact } from '../emergency-contacts/models/emergency-contact.model';
import { HealthRecord } from '../health-records/models/health-record.model';
import { MentalHealthRecord } from '../health-records/models/mental-health-record.model';
import { MedicationAdministration } from '../medications/models/medication-administration.model';
import { Medication } from '../medications/models/medication.model';
import { School } from '../schools/models/school.model';
import { AcademicTranscript } from '../students/models/academic-transcript.model';
import { Student } from '../students/models/student.model';
import { User } from '../users/models/user.model';

/** Every model of the app, in dependency order (referenced tables first). */
export const ALL_MODELS = [
  School,
  User,
  Student,
  AcademicTranscript,
  EmergencyContact,
  Appointment,
  HealthRecord,
  MentalHealthRecord,
  Medication,
  MedicationAdministration,
];
